#!/usr/bin/env python3
"""Writes a benchmark ceremony file: COUNT AES-256 exports for aws named PREFIX-NNNNNN, module protection, one pinned
wrapping key, output into "out" next to the file.  make-ceremony.py FILE PREFIX COUNT WRAPPING_KEY FINGERPRINT"""
import json, sys

path, prefix, count, wrap, pin = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
exports = [{"provider": "aws", "keyName": f"{prefix}-{i:06d}", "keyType": "AES-256", "protection": "module",
            "wrappingKey": wrap, "wrappingKeyFingerprint": pin, "wrapAlg": "RSAES_OAEP_SHA_256", "outputDir": "out"}
           for i in range(count)]
with open(path, "w") as f:
    json.dump({"title": f"{count} exports", "exports": exports}, f, indent=1)
