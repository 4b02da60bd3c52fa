from junheng_cli.cli.entry import main

main()
