"""Readers that turn other formats into guestlist seed documents."""
