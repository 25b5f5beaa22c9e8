"""`python -m graphgan` runs the command line."""

import sys

from graphgan.cli.main import main

sys.exit(main())
