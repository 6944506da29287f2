"""The shared UI kit: error messages for forms and the CLI, and server-drawn charts. It depends
only on Django, so every app's pages can use it without importing the web dashboard."""
