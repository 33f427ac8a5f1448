"""The web dashboard (`/admin`) on `rapport serve`: server-rendered HTML, inline SVG charts, CSV."""
