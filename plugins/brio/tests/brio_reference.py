"""A slow, plain-Python BRIO decoder written from docs/codecs/brio.md alone.

It shares no code with aura_brio: if it decodes the golden payloads, the page is
precise enough to reimplement BRIO in another language.  Too slow for anything but
the tiny golden profile.
"""

from __future__ import annotations

import copy
import lzma
from collections.abc import Callable

M32 = 0xFFFFFFFF
S = (1, 2, 4, 6, 10, 17, 27, 45, 74, 120, 194, 311, 488, 747, 1102, 1546, 2048, 2550, 2994, 3349, 3608, 3785,
     3902, 3976, 4022, 4051, 4069, 4079, 4086, 4090, 4092, 4094, 4095)  # fmt: skip


def squash(x: int) -> int:
    x = max(-2047, min(2047, x))
    j, w = (x >> 7) + 16, x & 127
    return (S[j] * (128 - w) + S[j + 1] * w + 64) >> 7


STRETCH = [next((x for x in range(-2047, 2048) if squash(x) >= p), 2047) for p in range(4096)]


def _observe(ny: int, nother: int) -> tuple[int, int]:
    if nother > 2:
        nother = (nother + 1) // 2
    cap = 48 if nother == 0 else (20 if nother <= 2 else 6)
    return min(ny + 1, cap), nother


def _states() -> list[tuple[int, int]]:
    seen, todo = {(0, 0)}, [(0, 0)]
    while todo:
        n0, n1 = todo.pop()
        a0, a1 = _observe(n0, n1)
        b1, b0 = _observe(n1, n0)
        for pair in ((a0, a1), (b0, b1)):
            if pair not in seen:
                seen.add(pair)
                todo.append(pair)
    return sorted(seen, key=lambda s: (s[0] + s[1], s[1]))


STATES = _states()
NUMBER = {s: i for i, s in enumerate(STATES)}


def next_state(s: int, y: int) -> int:
    n0, n1 = STATES[s]
    if y:
        n1, n0 = _observe(n1, n0)
    else:
        n0, n1 = _observe(n0, n1)
    return NUMBER[(n0, n1)]


def priority(s: int) -> int:
    return min(sum(STATES[s]), 255) if s < len(STATES) else 0


def learn(v: int, n: int, y: int) -> tuple[int, int]:
    return v + ((((y << 16) - v) * (131072 // (2 * n + 3))) >> 16), n + 1 if n < 255 else n


def mix32(x: int) -> int:
    x &= M32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & M32
    x ^= x >> 15
    x = (x * 0x5BD1E995) & M32
    return x ^ (x >> 13)


def ctx(k: int, lo: int, hi: int) -> int:
    return mix32(((lo * 0x2F0B4D93) & M32) + ((hi * 0x6A5D39E9) & M32) + (k + 1) * 0x1E3779B9)


def varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


class Reference:
    def __init__(self, part: bytes) -> None:
        assert part[:5] == b"BRIO\x01" and part[5] == 6
        self.B, self.MB = list(part[6:12]), part[12]
        count, pos = varint(part, 13)
        _, pos = varint(part, pos)
        _, pos = varint(part, pos)
        raw = lzma.decompress(part[pos:])
        lengths, at = [], 0
        for _ in range(count):
            n, at = varint(raw, at)
            lengths.append(n)
        self.tables = [[bytearray(16) for _ in range(1 << b)] for b in self.B]
        self.SM = []
        for _k in range(6):
            self.SM += [[((2 * n1 + 1) << 16) // (2 * (n0 + n1) + 2), 0] for n0, n1 in STATES]
            self.SM += [[32768, 0] for _ in range(256 - len(STATES))]
        self.SM += [[57344 if i % 2 else 8192, 0] for i in range(64)]
        self.W = [[16384] * 7 + [0] for _ in range(1024)]
        self.E = [[4096, 0] for _ in range(257 * 16)]
        self.MT = [0] * (1 << self.MB)
        self.H = bytearray()
        for n in lengths:
            decisions = iter(self._decisions(raw[at : at + n]))
            at += n
            self._run(lambda p, d=decisions: next(d))

    @staticmethod
    def _decisions(message: bytes) -> list[int]:
        out = []
        for c in message:
            out.append(0)
            out += [(c >> (7 - b)) & 1 for b in range(8)]
        return out + [1]

    def _bucket(self, k: int, g: int) -> bytearray:
        table, idx, chk = self.tables[k], g >> (32 - self.B[k]), g & 255
        for j in range(3):
            if table[idx ^ j][0] == chk:
                return table[idx ^ j]
        best = idx
        for j in (1, 2):
            if priority(table[idx ^ j][1]) < priority(table[best][1]):
                best = idx ^ j
        table[best][:] = bytes(16)
        table[best][0] = chk
        return table[best]

    def _run(self, code: Callable[[int], int]) -> bytes:
        """Steps 1-3 of the page for one message; ``code(p)`` codes or decodes one decision."""
        c4 = c8 = word = prev_word = mlen = mptr = i = 0
        h = [ctx(k, 0, 0) for k in range(6)]
        out = bytearray()
        while True:
            ectx = 16 * (256 if i == 0 else c4 & 255) + min(i.bit_length(), 15)
            e = code(max(1, min(4095, self.E[ectx][0] >> 4)))
            self.E[ectx] = list(learn(*self.E[ectx], e))
            if e:
                return bytes(out)
            c0 = 1
            for b in range(8):
                if b in (0, 4):
                    buckets = [self._bucket(k, mix32(h[k] + c0 * 0x1B873593)) for k in range(6)]
                    node = 1
                s = [buckets[k][node] for k in range(6)]
                x = [STRETCH[self.SM[256 * k + s[k]][0] >> 4] for k in range(6)]
                e_bit = L = 0
                if mlen > 0:
                    e_bit = (self.H[mptr] >> (7 - b)) & 1
                    L = mlen if mlen < 16 else min(16 + ((mlen - 16) >> 3), 31)
                    x.append(STRETCH[self.SM[1536 + 2 * L + e_bit][0] >> 4])
                else:
                    x.append(0)
                x.append(256)
                q = 0 if mlen == 0 else (1 if mlen < 16 else (2 if mlen < 32 else 3))
                w = self.W[256 * q + c0]
                p = squash(sum(a * b_ for a, b_ in zip(x, w)) >> 16)
                y = code(p)
                err = ((y << 12) - p) * 12
                for j in range(8):
                    w[j] = max(-(1 << 22), min(1 << 22, w[j] + ((x[j] * err) >> 16)))
                for k in range(6):
                    self.SM[256 * k + s[k]] = list(learn(*self.SM[256 * k + s[k]], y))
                    buckets[k][node] = next_state(s[k], y)
                if mlen > 0:
                    self.SM[1536 + 2 * L + e_bit] = list(learn(*self.SM[1536 + 2 * L + e_bit], y))
                    if e_bit != y:
                        mlen = 0
                c0, node = 2 * c0 + y, 2 * node + y
            c = c0 & 255
            out.append(c)
            self.H.append(c)
            i += 1
            c8 = ((c8 << 8) | (c4 >> 24)) & M32
            c4 = ((c4 << 8) | c) & M32
            wc = c + 32 if 65 <= c <= 90 else (c if 97 <= c <= 122 or c >= 128 else 0)
            if wc:
                word = ((word + wc + 1) * 0x2E1B7C4F) & M32
            elif word:
                prev_word, word = word, 0
            h = [ctx(0, c4 & 0xFF, 0), ctx(1, c4 & 0xFFFF, 0), ctx(2, c4 & 0xFFFFFF, 0), ctx(3, c4, 0),
                 ctx(4, c4, c8 & 0xFFFF), ctx(5, word, 0) if word else ctx(5, prev_word, 256 + c)]  # fmt: skip
            if mlen > 0:
                mptr += 1
                mlen = min(mlen + 1, 65535)
            if i >= 6:
                mh = mix32(((c4 * 0x2F0B4D93) & M32) + (((c8 & 0xFFFF) * 0x6A5D39E9) & M32)) >> (32 - self.MB)
                if mlen == 0 and self.MT[mh] > 0:
                    cand, pos, n = self.MT[mh], len(self.H), 0
                    while n < 32 and cand - 1 - n >= 0 and self.H[cand - 1 - n] == self.H[pos - 1 - n]:
                        n += 1
                    if n >= 6:
                        mlen, mptr = n, cand
                self.MT[mh] = len(self.H)

    def decode(self, code: bytes) -> bytes:
        """Decode one body's code (after the profile reference) from a copy of the primed state."""
        saved = copy.deepcopy((self.tables, self.SM, self.W, self.E, self.MT, self.H))
        reg = {"x1": 0, "x2": M32, "x": int.from_bytes((code + bytes(4))[:4], "big"), "next": 4}

        def decode_bit(p: int) -> int:
            x1, x2, x = reg["x1"], reg["x2"], reg["x"]
            xmid = x1 + ((x2 - x1) >> 12) * p + ((((x2 - x1) & 0xFFF) * p) >> 12)
            y = 1 if x <= xmid else 0
            x1, x2 = (x1, xmid) if y else (xmid + 1, x2)
            while (x1 ^ x2) & 0xFF000000 == 0:
                x1, x2 = (x1 << 8) & M32, ((x2 << 8) & M32) | 255
                x = ((x << 8) & M32) | (code[reg["next"]] if reg["next"] < len(code) else 0)
                reg["next"] += 1
            reg.update(x1=x1, x2=x2, x=x)
            return y

        try:
            return self._run(decode_bit)
        finally:
            self.tables, self.SM, self.W, self.E, self.MT, self.H = saved
