"""HR insights: figures about how the process works (never anyone's words), the `/admin` dashboard's
sign-in, and who may see which figures."""
