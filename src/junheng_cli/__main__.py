from junheng_cli.cli.app import main

main()
