"""Reference encoders for the PDF stream filters owatch decodes: Python's own (base64.a85encode,
binascii.hexlify, zlib) and small ones written from ISO 32000-1 §7.4 (LZW with EarlyChange,
RunLength, PNG and TIFF predictors). Used by the e2e filter test and the unit test of the decoders."""
import base64
import binascii


def a85(data):
    return base64.a85encode(data, wrapcol=72) + b"~>"


def ahx(data):
    return binascii.hexlify(data, b"\n", 32) + b">"


def lzw(data, early=1):
    """PDF LZW: 9-12 bit codes, 256 clear, 257 end; a decoder widens the code one entry
    later than it would be written when EarlyChange is 0."""
    out, acc, nbits = bytearray(), 0, 0
    table, emitted = {bytes([i]): i for i in range(256)}, 0

    def width():
        edge = 258 + emitted - 1 + early if emitted else 0
        return 12 if edge >= 2048 else 11 if edge >= 1024 else 10 if edge >= 512 else 9

    def put(code):
        nonlocal acc, nbits, emitted
        acc, nbits = (acc << width()) | code, nbits + width()
        emitted += 1
        while nbits >= 8:
            out.append((acc >> (nbits - 8)) & 0xFF)
            nbits -= 8
        acc &= (1 << nbits) - 1

    def clear():
        nonlocal table, emitted
        put(256)
        table, emitted = {bytes([i]): i for i in range(256)}, 0

    clear()
    emitted = 0
    w = b""
    for b in data:
        wc = w + bytes([b])
        if wc in table:
            w = wc
            continue
        put(table[w])
        table[wc] = 258 + emitted - 1
        w = bytes([b])
        if 258 + emitted >= 4000:
            clear()
    if w:
        put(table[w])
    put(257)
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def runlength(data):
    out, i = bytearray(), 0
    while i < len(data):
        run = 1
        while i + run < len(data) and run < 128 and data[i + run] == data[i]:
            run += 1
        if run > 1:
            out += bytes([257 - run, data[i]])
            i += run
        else:
            j = i
            while j < len(data) and j - i < 128 and not (j + 1 < len(data) and data[j + 1] == data[j]):
                j += 1
            j = max(j, i + 1)
            out += bytes([j - i - 1]) + data[i:j]
            i = j
    return bytes(out + b"\x80")


def png_predict(data, columns, bpp):
    """Rows tagged None, Sub, Up, Average, Paeth in turn (what Predictor 15 allows); whole rows only."""
    assert len(data) % columns == 0
    out, prev = bytearray(), bytes(columns)
    for r in range(len(data) // columns):
        row, kind = data[r * columns:(r + 1) * columns], r % 5
        enc = bytearray([kind])
        for k in range(columns):
            left = row[k - bpp] if k >= bpp else 0
            up, upleft = prev[k], (prev[k - bpp] if k >= bpp else 0)
            p = left + up - upleft
            paeth = left if abs(p - left) <= abs(p - up) and abs(p - left) <= abs(p - upleft) else up if abs(p - up) <= abs(p - upleft) else upleft
            pred = [0, left, up, (left + up) // 2, paeth][kind]
            enc.append((row[k] - pred) & 0xFF)
        out += enc
        prev = row
    return bytes(out)


def tiff_predict(data, colors, bpc, columns):
    row_bytes = (colors * bpc * columns + 7) // 8
    assert len(data) % row_bytes == 0
    out = bytearray()
    for r in range(len(data) // row_bytes):
        row = int.from_bytes(data[r * row_bytes:(r + 1) * row_bytes], "big")
        nbits = row_bytes * 8
        samples = [(row >> (nbits - (j + 1) * bpc)) & ((1 << bpc) - 1) for j in range(colors * columns)]
        diffs = [samples[j] if j < colors else (samples[j] - samples[j - colors]) % (1 << bpc) for j in range(len(samples))]
        packed = 0
        for s in diffs:
            packed = (packed << bpc) | s
        packed <<= nbits - len(diffs) * bpc
        out += packed.to_bytes(row_bytes, "big")
    return bytes(out)
