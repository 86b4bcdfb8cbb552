from guestlist.seeds.cli import main

main()
