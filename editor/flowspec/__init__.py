"""The Studio flow document, in pure Python: catalogue, schema, validation, import/export."""
