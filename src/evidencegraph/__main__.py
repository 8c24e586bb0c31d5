"""``python -m evidencegraph`` runs the CLI."""

from evidencegraph.cli import main

main()
