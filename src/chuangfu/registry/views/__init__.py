"""The registry's staff pages: ``records`` (people, enterprises, carriers, mentors) and ``imports``."""
