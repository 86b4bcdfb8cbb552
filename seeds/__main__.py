from seeds.cli import main

main()
