"""python -m salesbook: the same as the salesbook command."""
from salesbook.cli import main

main()
