"""Reference data shipped with the forms app (not editable in the CMS)."""
