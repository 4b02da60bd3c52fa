from junheng_cli.cli import main

main()
