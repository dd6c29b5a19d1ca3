"""User-visible texts for the codes that the pure rules return (French source, gettext)."""
