"""Personal data: recognising national identity numbers, keyed pseudonyms, spreadsheet safety."""
