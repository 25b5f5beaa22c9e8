"""Training: recipes, losses, the loop, and the run folder it writes."""
