from entityscreen.cli import main

main()
