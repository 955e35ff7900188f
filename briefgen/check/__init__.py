"""Checks of a loaded workspace: what must hold before any memo is built (`store`),
and warnings on estimative language (`likelihood`)."""
