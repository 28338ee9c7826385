from saldo.cli import main

main()
