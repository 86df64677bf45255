"""The BRIO model: hashed context histories, a match model, a mixer and two APMs.

One kernel, :func:`run_message`, drives the model over one message in one of three
modes: *learn* (priming from the training text: every update is kept), *encode*
and *decode* (every update is undone after the message, so each message is coded
from the same primed state and decodes on its own).  docs/codecs/brio.md is the
normative description; the constants below are named as there.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from aura_brio import tables
from aura_brio.coder import (
    decode_bit,
    decode_canonical,
    decode_overrun,
    decode_start,
    encode_bit,
    encode_start,
    encode_flush,
)
from aura_brio.jit import inline, kernel

MASK32 = 0xFFFFFFFF
#: Hashed contexts: orders 1, 2, 3, 4, 6 and the word context.
NCTX = 6
#: Mixer inputs: the hashed contexts, the match model and a bias.
NIN = NCTX + 2
#: Match model: shortest verified match, longest backward verification.
MINLEN = 6
MAXVERIFY = 32
#: State-map slots: 256 per hashed context, then 32 match-length buckets x expected bit.
SM_MATCH = NCTX * 256
NSM = SM_MATCH + 64
#: Mixer weight sets: match-length bucket (4) x partial byte (256).
NSETS = 4 * 256
#: EOF-flag contexts: previous byte or "start" (257) x position bucket (16).
NEOF = 257 * 16
#: APM contexts (each 33 interpolation points).
NAPM = 65536
#: Mixer learning rate, weight limit, initial weight.
MIX_LR = 12
MIX_LIMIT = 1 << 22
MIX_INIT = 1 << 14
#: Count limits of the adaptive probabilities.
SM_LIMIT = 255
EOF_LIMIT = 255
APM_RATE = 6
#: Hash multipliers (all below 2**31 so products fit in 63 bits).
K_LO = 0x2F0B4D93
K_HI = 0x6A5D39E9
K_ORDER = 0x3C6EF372 >> 1
K_NIBBLE = 0x1B873593
K_WORD = 0x2E1B7C4F
K_APM = 0x27D4EB2F

#: run_message statuses.
OK = 0
CORRUPT = 1
OVERFLOW = 2
NONCANONICAL = 3

LEARN = 0
ENCODE = 1
DECODE = 2


class Model(NamedTuple):
    """All arrays of one model; ``base_*`` hold the primed values restored after each message."""

    cfg: np.ndarray  # int64[4]: [history length, match-table bits, 0, 0]
    bk: np.ndarray  # uint8: all bucket tables, 16 bytes per bucket
    bk64: np.ndarray  # the same memory as uint64, to copy a bucket in two moves
    bk_off: np.ndarray  # int64[NCTX]: first bucket of each context's table
    bk_bits: np.ndarray  # int64[NCTX]: log2 of each table's bucket count
    sm: np.ndarray  # int32[NSM]: state-map probabilities, 16-bit
    smn: np.ndarray  # int32[NSM]: state-map counts
    mw: np.ndarray  # int32[NSETS * NIN]: mixer weights, 16.16
    a1: np.ndarray  # uint16[NAPM * 33]
    a2: np.ndarray  # uint16[NAPM * 33]
    ef: np.ndarray  # int32[NEOF]: EOF-flag probabilities, 16-bit
    efn: np.ndarray  # int32[NEOF]
    mt: np.ndarray  # int32[2**mbits]: match table, history positions
    hist: np.ndarray  # uint8: training text, then room for one message
    base_sm: np.ndarray
    base_smn: np.ndarray
    base_mw: np.ndarray
    base_ef: np.ndarray
    base_efn: np.ndarray
    nxt: np.ndarray  # uint8[512]: bit-history transitions
    prio: np.ndarray  # uint8[256]
    st: np.ndarray  # int32[4096]: stretch
    sq: np.ndarray  # int32[4095]: squash, indexed by x + 2047
    recip: np.ndarray  # int32[1024]
    cost: np.ndarray  # int32[4096]: -log2 in 1/256 bit (trace only)


def new_model(bucket_bits: tuple[int, ...], match_bits: int, history_capacity: int) -> Model:
    """A model in its initial state (before priming), with the given table sizes."""
    nxt, prio, counts = tables.history_tables()
    sq = tables.squash_table()
    sizes = [1 << b for b in bucket_bits]
    offsets = np.cumsum([0] + sizes[:-1]).astype(np.int64)
    sm = np.full(NSM, 32768, dtype=np.int32)
    for k in range(NCTX):
        n0, n1 = counts[:, 0].astype(np.int64), counts[:, 1].astype(np.int64)
        sm[k * 256 : k * 256 + 256] = ((2 * n1 + 1) << 16) // (2 * (n0 + n1) + 2)
    sm[SM_MATCH + 1 :: 2] = 57344
    sm[SM_MATCH::2] = 8192
    mw = np.zeros(NSETS * NIN, dtype=np.int32)
    for k in range(NIN - 1):
        mw[k::NIN] = MIX_INIT
    apm_row = (np.array([sq[min(max((j - 16) * 128, -2047), 2047) + 2047] for j in range(33)], dtype=np.int64) * 16)
    apm = np.tile(apm_row.astype(np.uint16), NAPM)
    ef = np.full(NEOF, 4096, dtype=np.int32)
    buckets = np.zeros(sum(sizes) * 16, dtype=np.uint8)
    zeros_sm = np.zeros(NSM, dtype=np.int32)
    zeros_ef = np.zeros(NEOF, dtype=np.int32)
    return Model(
        cfg=np.array([0, match_bits, 0, 0], dtype=np.int64),
        bk=buckets,
        bk64=buckets.view(np.uint64),
        bk_off=offsets,
        bk_bits=np.array(bucket_bits, dtype=np.int64),
        sm=sm,
        smn=zeros_sm,
        mw=mw,
        a1=apm,
        a2=apm.copy(),
        ef=ef,
        efn=zeros_ef,
        mt=np.zeros(1 << match_bits, dtype=np.int32),
        hist=np.zeros(history_capacity, dtype=np.uint8),
        base_sm=sm.copy(),
        base_smn=zeros_sm.copy(),
        base_mw=mw.copy(),
        base_ef=ef.copy(),
        base_efn=zeros_ef.copy(),
        nxt=nxt,
        prio=prio,
        st=tables.stretch_table(),
        sq=sq,
        recip=tables.reciprocal_table(),
        cost=tables.cost_table(),
    )


def commit_priming(model: Model) -> None:
    """Make the learned small tables the state every message starts from."""
    model.base_sm[:] = model.sm
    model.base_smn[:] = model.smn
    model.base_mw[:] = model.mw
    model.base_ef[:] = model.ef
    model.base_efn[:] = model.efn


@inline
def mix32(x: int) -> int:
    x &= MASK32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK32
    x ^= x >> 15
    x = (x * 0x5BD1E995) & MASK32
    return x ^ (x >> 13)


@inline
def context_hash(k: int, lo: int, hi: int) -> int:
    return mix32(((lo * K_LO) & MASK32) + ((hi * K_HI) & MASK32) + (k + 1) * K_ORDER)


@inline
def length_bucket(n: int) -> int:
    if n < 16:
        return n
    return min(16 + ((n - 16) >> 3), 31)


@inline
def eof_bucket(i: int) -> int:
    b = 0
    while i > 0 and b < 15:
        b += 1
        i >>= 1
    return b


@inline
def adapt(p: np.ndarray, n: np.ndarray, i: int, y: int, limit: int, recip: np.ndarray) -> None:
    """Count-based adaptive probability: p += (target - p) / (n + 1.5), n capped at limit."""
    c = n[i]
    v = p[i]
    p[i] = v + ((((y << 16) - v) * recip[c]) >> 16)
    if c < limit:
        n[i] = c + 1


@kernel
def run_message(
    m: Model, mode: int, src: np.ndarray, body: np.ndarray, out: np.ndarray, trace: np.ndarray
) -> tuple[int, int]:
    """Model one message; return (status, count).

    count is the number of code bytes written (encode), text bytes produced
    (decode) or learned (learn).  ``trace`` (int32[n, 3], may be empty) receives,
    per decoded byte, the match position, the match length and the cost in 1/256 bit.
    """
    cfg = m.cfg
    bk = m.bk
    bk64 = m.bk64
    bk_off = m.bk_off
    bk_bits = m.bk_bits
    sm = m.sm
    smn = m.smn
    mw = m.mw
    a1 = m.a1
    a2 = m.a2
    ef = m.ef
    efn = m.efn
    mt = m.mt
    hist = m.hist
    base_sm = m.base_sm
    base_smn = m.base_smn
    base_mw = m.base_mw
    base_ef = m.base_ef
    base_efn = m.base_efn
    nxt = m.nxt
    prio = m.prio
    st = m.st
    sq = m.sq
    recip = m.recip
    cost = m.cost
    start = cfg[0]
    mbits = cfg[1]
    hpos = start
    undo = mode != LEARN
    tracing = trace.shape[0] > 0
    n_src = src.shape[0]
    cs = np.zeros(4, dtype=np.int64)
    if mode == DECODE:
        decode_start(cs, body)
    else:
        encode_start(cs)
    bl_idx = np.empty(256, dtype=np.int64)
    bl_dat = np.empty(512, dtype=np.uint64)
    bl_n = 0
    ml_idx = np.empty(256, dtype=np.int64)
    ml_val = np.empty(256, dtype=np.int32)
    ml_n = 0
    ctxh = np.zeros(NCTX, dtype=np.int64)
    base = np.zeros(NCTX, dtype=np.int64)
    state = np.zeros(NCTX, dtype=np.int64)
    x = np.zeros(NIN, dtype=np.int64)
    c4 = 0
    c8 = 0
    word = 0
    prev_word = 0
    mlen = 0
    mptr = 0
    status = OK
    i = 0
    for k in range(NCTX):
        ctxh[k] = context_hash(k, 0, 0)
    while True:
        # End-of-message flag before every byte.
        ectx = (256 if i == 0 else (c4 & 255)) * 16 + eof_bucket(i)
        pe = ef[ectx] >> 4
        pe = 1 if pe < 1 else (4095 if pe > 4095 else pe)
        if mode == DECODE:
            e = decode_bit(cs, body, pe)
        else:
            e = 1 if i == n_src else 0
            if mode == ENCODE:
                encode_bit(cs, out, pe, e)
        byte_cost = cost[pe] if e else cost[4096 - pe]
        adapt(ef, efn, ectx, e, EOF_LIMIT, recip)
        if e:
            break
        if mode == DECODE:
            if i >= out.shape[0]:
                status = OVERFLOW
                break
            if decode_overrun(cs, body):
                status = CORRUPT
                break
        if tracing and i < trace.shape[0]:
            trace[i, 0] = mptr if mlen > 0 else -1
            trace[i, 1] = mlen
        c0 = 1
        node = 1
        for b in range(8):
            if b == 0 or b == 4:
                # Find (or claim) this nibble's bucket in every context's table.
                for k in range(NCTX):
                    h = mix32(ctxh[k] + c0 * K_NIBBLE)
                    bits = bk_bits[k]
                    idx = h >> (32 - bits)
                    chk = h & 255
                    off = bk_off[k]
                    found = -1
                    for j in range(3):
                        if bk[(off + (idx ^ j)) * 16] == chk:
                            found = off + (idx ^ j)
                            break
                    claim = found < 0
                    if claim:
                        found = off + idx
                        low = prio[bk[found * 16 + 1]]
                        for j in range(1, 3):
                            cand = off + (idx ^ j)
                            pr = prio[bk[cand * 16 + 1]]
                            if pr < low:
                                low = pr
                                found = cand
                    if undo:
                        if bl_n == bl_idx.shape[0]:
                            grown_i = np.empty(bl_n * 2, dtype=np.int64)
                            grown_i[:bl_n] = bl_idx
                            grown_d = np.empty(bl_n * 4, dtype=np.uint64)
                            grown_d[: bl_n * 2] = bl_dat
                            bl_idx = grown_i
                            bl_dat = grown_d
                        bl_idx[bl_n] = found
                        bl_dat[2 * bl_n] = bk64[2 * found]
                        bl_dat[2 * bl_n + 1] = bk64[2 * found + 1]
                        bl_n += 1
                    if claim:
                        bk64[2 * found] = 0
                        bk64[2 * found + 1] = 0
                        bk[found * 16] = chk
                    base[k] = found * 16
                node = 1
            # Predict.
            for k in range(NCTX):
                s = bk[base[k] + node]
                state[k] = s
                x[k] = st[sm[k * 256 + s] >> 4]
            eb = 0
            msi = 0
            if mlen > 0:
                eb = (hist[mptr] >> (7 - b)) & 1
                msi = SM_MATCH + length_bucket(mlen) * 2 + eb
                x[NCTX] = st[sm[msi] >> 4]
            else:
                x[NCTX] = 0
            x[NCTX + 1] = 256
            mb = 0 if mlen == 0 else (1 if mlen < 16 else (2 if mlen < 32 else 3))
            ws = (mb * 256 + c0) * NIN
            dot = 0
            for k in range(NIN):
                dot += x[k] * mw[ws + k]
            dot >>= 16
            dot = -2047 if dot < -2047 else (2047 if dot > 2047 else dot)
            pm = sq[dot + 2047]
            ps = st[pm] + 2048
            lo = ps >> 7
            wt = ps & 127
            i1 = (c0 | ((c4 & 255) << 8)) * 33 + lo
            i2 = (mix32(c0 + (c4 & 0xFFFF) * K_APM) & 0xFFFF) * 33 + lo
            pa1 = (np.int64(a1[i1]) * (128 - wt) + np.int64(a1[i1 + 1]) * wt) >> 11
            pa2 = (np.int64(a2[i2]) * (128 - wt) + np.int64(a2[i2 + 1]) * wt) >> 11
            p = (2 * pm + pa1 + pa2 + 2) >> 2
            p = 1 if p < 1 else (4095 if p > 4095 else p)
            # Code the bit.
            if mode == DECODE:
                y = decode_bit(cs, body, p)
            else:
                y = (src[i] >> (7 - b)) & 1
                if mode == ENCODE:
                    encode_bit(cs, out, p, y)
            byte_cost += cost[p] if y else cost[4096 - p]
            # Update.
            err = ((y << 12) - pm) * MIX_LR
            for k in range(NIN):
                wv = mw[ws + k] + ((x[k] * err) >> 16)
                mw[ws + k] = -MIX_LIMIT if wv < -MIX_LIMIT else (MIX_LIMIT if wv > MIX_LIMIT else wv)
            if not undo:
                # The APMs learn while priming only: in a message their updates are
                # worth under 0.2% and would need an undo log entry per bit.
                j1 = i1 + (wt >> 6)
                j2 = i2 + (wt >> 6)
                v = np.int64(a1[j1])
                a1[j1] = v + (((y << 16) - v) >> APM_RATE)
                v = np.int64(a2[j2])
                a2[j2] = v + (((y << 16) - v) >> APM_RATE)
            for k in range(NCTX):
                adapt(sm, smn, k * 256 + state[k], y, SM_LIMIT, recip)
                bk[base[k] + node] = nxt[2 * state[k] + y]
            if mlen > 0:
                adapt(sm, smn, msi, y, SM_LIMIT, recip)
                if eb != y:
                    mlen = 0
            c0 = c0 * 2 + y
            node = node * 2 + y
            if b == 3:
                node = 1
        c = c0 & 255
        if mode == DECODE:
            out[i] = c
        if tracing and i < trace.shape[0]:
            trace[i, 2] = byte_cost
        hist[hpos] = c
        hpos += 1
        i += 1
        # Contexts for the next byte.
        c8 = ((c8 << 8) | (c4 >> 24)) & MASK32
        c4 = ((c4 << 8) | c) & MASK32
        wc = c + 32 if 65 <= c <= 90 else (c if (97 <= c <= 122 or c >= 128) else 0)
        if wc:
            word = ((word + wc + 1) * K_WORD) & MASK32
        elif word != 0:
            prev_word = word
            word = 0
        ctxh[0] = context_hash(0, c4 & 0xFF, 0)
        ctxh[1] = context_hash(1, c4 & 0xFFFF, 0)
        ctxh[2] = context_hash(2, c4 & 0xFFFFFF, 0)
        ctxh[3] = context_hash(3, c4, 0)
        ctxh[4] = context_hash(4, c4, c8 & 0xFFFF)
        if word != 0:
            ctxh[5] = context_hash(5, word, 0)
        else:
            ctxh[5] = context_hash(5, prev_word, 256 + c)
        # Match model.
        if mlen > 0:
            mptr += 1
            if mlen < 65535:
                mlen += 1
        if i >= MINLEN:
            mh = mix32(((c4 * K_LO) & MASK32) + (((c8 & 0xFFFF) * K_HI) & MASK32)) >> (32 - mbits)
            if mlen == 0:
                cand = np.int64(mt[mh])
                if cand > 0:
                    n = 0
                    while n < MAXVERIFY and cand - 1 - n >= 0 and hist[cand - 1 - n] == hist[hpos - 1 - n]:
                        n += 1
                    if n >= MINLEN:
                        mlen = n
                        mptr = cand
            if undo:
                if ml_n == ml_idx.shape[0]:
                    grown_a = np.empty(ml_n * 2, dtype=np.int64)
                    grown_a[:ml_n] = ml_idx
                    grown_b = np.empty(ml_n * 2, dtype=np.int32)
                    grown_b[:ml_n] = ml_val
                    ml_idx = grown_a
                    ml_val = grown_b
                ml_idx[ml_n] = mh
                ml_val[ml_n] = mt[mh]
                ml_n += 1
            mt[mh] = hpos
    count = i
    if mode == ENCODE:
        encode_flush(cs, out)
        count = cs[2]
    elif mode == DECODE and status == OK and not decode_canonical(cs, body):
        status = NONCANONICAL
    if undo:
        for j in range(bl_n - 1, -1, -1):
            at = bl_idx[j]
            bk64[2 * at] = bl_dat[2 * j]
            bk64[2 * at + 1] = bl_dat[2 * j + 1]
        for j in range(ml_n - 1, -1, -1):
            mt[ml_idx[j]] = ml_val[j]
        sm[:] = base_sm
        smn[:] = base_smn
        mw[:] = base_mw
        ef[:] = base_ef
        efn[:] = base_efn
    else:
        cfg[0] = hpos
    return status, count


@kernel
def learn_all(m: Model, text: np.ndarray, bounds: np.ndarray) -> None:
    """Prime the model with every training message (``text[bounds[j]:bounds[j + 1]]``)."""
    empty = np.zeros(0, dtype=np.uint8)
    no_trace = np.zeros((0, 3), dtype=np.int32)
    for j in range(bounds.shape[0] - 1):
        run_message(m, LEARN, text[bounds[j] : bounds[j + 1]], empty, empty, no_trace)
