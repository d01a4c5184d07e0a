from talentwar.cli import main

main()
