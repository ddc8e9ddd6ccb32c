"""Reading a file: bytes to text (decode, formats), document metadata, segments, numerals."""
