from salesbook.cli import main

main()
