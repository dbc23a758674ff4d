"""Reference data the warehouse seeds from well-kept packages (the Chinese working-day calendar)."""
