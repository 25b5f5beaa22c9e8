"""Does each template learn? `python bench/quality [TEMPLATE ...]` answers with figures.

Each check trains one template's demo preset on its embedded data, scores what it generates
with a metric fixed before training, and scores a negative control the same way; a gate is met
only when the template reaches its floor and the control falls short of it. One module per
template holds its check; this package holds what they share (`outcome`, `scoring`) and the
command (`__main__`), which writes each template's figures to `bench/results/quality/NAME.json`,
its sample images beside them, and the table of every template measured so far to
`bench/results/quality.md` and `bench/results/quality.json`.
"""
