"""The BRIO model: hashed context histories, a match model and a gated mixer.

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
from aura_brio.coder import MASK32, decode_bit, decode_canonical, decode_overrun, decode_start, encode_bit, encode_flush
from aura_brio.jit import inline, kernel

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
#: Mixer learning rate, weight limit, initial weight.
MIX_LR = 12
MIX_LIMIT = 1 << 22
MIX_INIT = 1 << 14
#: Count limits of the adaptive probabilities.
SM_LIMIT = 255
EOF_LIMIT = 255
#: Hash multipliers (all below 2**31 so products fit in 63 bits).
K_LO = 0x2F0B4D93
K_HI = 0x6A5D39E9
K_ORDER = 0x1E3779B9
K_NIBBLE = 0x1B873593
K_WORD = 0x2E1B7C4F

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

    cfg: np.ndarray  # int64[4]: [history length, match-table bits, unused, scratch]
    bk: np.ndarray  # uint8: all bucket tables, 16 bytes per bucket
    bk64: np.ndarray  # the same memory as uint64, to copy a bucket in two moves
    bk_off: np.ndarray  # int64[NCTX]: first bucket of each context's table
    bk_bits: np.ndarray  # int64[NCTX]: log2 of each table's bucket count
    sm: np.ndarray  # int32[NSM]: state-map probabilities, 16-bit
    smn: np.ndarray  # int32[NSM]: state-map counts
    mw: np.ndarray  # int32[NSETS * NIN]: mixer weights, 16.16
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
def adapted(v: int, y: int, rate: int) -> int:
    """One step of an adaptive 16-bit probability towards bit y: v += (65536*y - v) * rate / 65536."""
    return v + ((((y << 16) - v) * rate) >> 16)


@inline
def clamp(v: int, low: int, high: int) -> int:
    return low if v < low else (min(v, high))


@inline
def trained(w: int, x: int, err: int) -> int:
    """A mixer weight after one step: w += x * err / 65536, kept within +-MIX_LIMIT."""
    return clamp(w + ((x * err) >> 16), -MIX_LIMIT, MIX_LIMIT)


@kernel
def grown(a: np.ndarray, size: int) -> np.ndarray:
    """A copy of ``a`` with room for ``size`` items."""
    b = np.empty(size, dtype=a.dtype)
    b[: a.shape[0]] = a
    return b


@kernel
def run_message(
    m: Model, mode: int, src: np.ndarray, body: np.ndarray, out: np.ndarray, trace: np.ndarray
) -> tuple[int, int]:
    """Model one message; return (status, count).

    count is the number of code bytes written (encode), text bytes produced
    (decode) or learned (learn).  ``out`` bounds the decoded size.  ``trace``
    (int32[n, 3], may be empty) receives, per decoded byte, the match position,
    the match length and the cost in 1/256 bit.
    """
    bk = m.bk
    bk64 = m.bk64
    prio = m.prio
    offs = m.bk_off
    bitsv = m.bk_bits
    ef = m.ef
    efn = m.efn
    sq = m.sq
    sm = m.sm
    smn = m.smn
    mw = m.mw
    mt = m.mt
    hist = m.hist
    nxt = m.nxt
    st = m.st
    recip = m.recip
    cost = m.cost
    start = m.cfg[0]
    mbits = m.cfg[1]
    hpos = start
    undo = mode != LEARN
    tracing = trace.shape[0] > 0
    n_src = src.shape[0]
    # Undo logs, per byte: 12 bucket visits, one match-table write, 8 mixer weight
    # sets and one EOF context (the last two are restored from the primed copies).
    # Sized for the message when its length is known, grown while decoding.
    cap = (n_src if mode != DECODE else min(out.shape[0], 256)) + 1 if undo else 0
    bl_idx = np.empty(12 * cap, dtype=np.int64)
    bl_dat = np.empty(24 * cap, dtype=np.uint64)
    bl_n = 0
    ml_idx = np.empty(cap, dtype=np.int64)
    ml_val = np.empty(cap, dtype=np.int32)
    ml_n = 0
    ws_log = np.empty(8 * cap, dtype=np.int32)
    ef_log = np.empty(cap, dtype=np.int32)
    x1 = 0
    x2 = MASK32
    x = 0
    pos = 4
    n_out = 0
    if mode == DECODE:
        x = decode_start(body)
    c4 = 0
    c8 = 0
    word = 0
    prev_word = 0
    mlen = 0
    mptr = 0
    status = OK
    i = 0
    hk = np.empty(NCTX, dtype=np.int64)
    gk = np.empty(NCTX, dtype=np.int64)
    bases = np.empty(NCTX, dtype=np.int64)
    for k in range(NCTX):
        hk[k] = context_hash(k, 0, 0)
    b0 = b1 = b2 = b3 = b4 = b5 = 0
    touched = 0
    while True:
        if undo and i >= cap:
            cap *= 2
            bl_idx = grown(bl_idx, 12 * cap)
            bl_dat = grown(bl_dat, 24 * cap)
            ml_idx = grown(ml_idx, cap)
            ml_val = grown(ml_val, cap)
            ws_log = grown(ws_log, 8 * cap)
            ef_log = grown(ef_log, cap)
        # End-of-message flag before every byte.
        ectx = (256 if i == 0 else (c4 & 255)) * 16 + eof_bucket(i)
        pe = ef[ectx] >> 4
        pe = 1 if pe < 1 else (min(pe, 4095))
        if mode == DECODE:
            e, x1, x2, x, pos = decode_bit(x1, x2, x, pos, body, pe)
        else:
            e = 1 if i == n_src else 0
            if mode == ENCODE:
                x1, x2, n_out = encode_bit(x1, x2, n_out, out, pe, e)
        byte_cost = cost[pe] if e else cost[4096 - pe]
        c = efn[ectx]
        ef[ectx] = adapted(ef[ectx], e, recip[c])
        efn[ectx] = c + (c < EOF_LIMIT)
        if undo:
            ef_log[i] = ectx
        if e:
            break
        if mode == DECODE:
            if i >= out.shape[0]:
                status = OVERFLOW
                break
            if decode_overrun(pos, body):
                status = CORRUPT
                break
        if tracing:
            trace[i, 0] = mptr if mlen > 0 else -1
            trace[i, 1] = mlen
        c0 = 1
        node = 1
        for b in range(8):
            if b == 0 or b == 4:
                # This nibble's bucket in every context's table.  All six first
                # probes are loaded before any is examined, so their cache misses overlap.
                for k in range(NCTX):
                    g = mix32(hk[k] + c0 * K_NIBBLE)
                    gk[k] = g
                    touched ^= bk[(offs[k] + (g >> (32 - bitsv[k]))) * 16]
                for k in range(NCTX):
                    g = gk[k]
                    off = offs[k]
                    idx = g >> (32 - bitsv[k])
                    chk = g & 255
                    found = -1
                    for j in range(3):
                        if bk[(off + (idx ^ j)) * 16] == chk:
                            found = off + (idx ^ j)
                            break
                    claim = found < 0
                    if claim:
                        # Claim the probed bucket whose first history is the least
                        # established (lowest priority; the first such on ties).
                        found = off + idx
                        low = prio[bk[found * 16 + 1]]
                        for j in range(1, 3):
                            cand = off + (idx ^ j)
                            pr = prio[bk[cand * 16 + 1]]
                            if pr < low:
                                low = pr
                                found = cand
                    if undo:
                        bl_idx[bl_n] = found
                        bl_dat[2 * bl_n] = bk64[2 * found]
                        bl_dat[2 * bl_n + 1] = bk64[2 * found + 1]
                        bl_n += 1
                    if claim:
                        bk64[2 * found] = 0
                        bk64[2 * found + 1] = 0
                        bk[found * 16] = chk
                    bases[k] = found * 16
                b0 = bases[0]
                b1 = bases[1]
                b2 = bases[2]
                b3 = bases[3]
                b4 = bases[4]
                b5 = bases[5]
                node = 1
            # Predict: one stretched probability per context, the match model, a bias.
            s0 = bk[b0 + node]
            s1 = bk[b1 + node]
            s2 = bk[b2 + node]
            s3 = bk[b3 + node]
            s4 = bk[b4 + node]
            s5 = bk[b5 + node]
            i0 = s0
            i1 = 256 + s1
            i2 = 512 + s2
            i3 = 768 + s3
            i4 = 1024 + s4
            i5 = 1280 + s5
            x0 = st[sm[i0] >> 4]
            xx1 = st[sm[i1] >> 4]
            xx2 = st[sm[i2] >> 4]
            x3 = st[sm[i3] >> 4]
            x4 = st[sm[i4] >> 4]
            x5 = st[sm[i5] >> 4]
            eb = 0
            msi = 0
            x6 = 0
            mb = 0
            if mlen > 0:
                eb = (hist[mptr] >> (7 - b)) & 1
                msi = SM_MATCH + length_bucket(mlen) * 2 + eb
                x6 = st[sm[msi] >> 4]
                mb = 1 if mlen < 16 else (2 if mlen < 32 else 3)
            ws = (mb * 256 + c0) * NIN
            if undo:
                ws_log[8 * i + b] = ws
            dot = (
                x0 * mw[ws]
                + xx1 * mw[ws + 1]
                + xx2 * mw[ws + 2]
                + x3 * mw[ws + 3]
                + x4 * mw[ws + 4]
                + x5 * mw[ws + 5]
                + x6 * mw[ws + 6]
                + 256 * mw[ws + 7]
            ) >> 16
            # The squash table's values lie in [1, 4095]: p is a valid coder probability.
            p = sq[clamp(dot, -2047, 2047) + 2047]
            # Code the bit.
            if mode == DECODE:
                y, x1, x2, x, pos = decode_bit(x1, x2, x, pos, body, p)
            else:
                y = (src[i] >> (7 - b)) & 1
                if mode == ENCODE:
                    x1, x2, n_out = encode_bit(x1, x2, n_out, out, p, y)
            byte_cost += cost[p] if y else cost[4096 - p]
            # Update.
            err = ((y << 12) - p) * MIX_LR
            mw[ws] = trained(mw[ws], x0, err)
            mw[ws + 1] = trained(mw[ws + 1], xx1, err)
            mw[ws + 2] = trained(mw[ws + 2], xx2, err)
            mw[ws + 3] = trained(mw[ws + 3], x3, err)
            mw[ws + 4] = trained(mw[ws + 4], x4, err)
            mw[ws + 5] = trained(mw[ws + 5], x5, err)
            mw[ws + 6] = trained(mw[ws + 6], x6, err)
            mw[ws + 7] = trained(mw[ws + 7], 256, err)
            c = smn[i0]
            sm[i0] = adapted(sm[i0], y, recip[c])
            smn[i0] = c + (c < SM_LIMIT)
            c = smn[i1]
            sm[i1] = adapted(sm[i1], y, recip[c])
            smn[i1] = c + (c < SM_LIMIT)
            c = smn[i2]
            sm[i2] = adapted(sm[i2], y, recip[c])
            smn[i2] = c + (c < SM_LIMIT)
            c = smn[i3]
            sm[i3] = adapted(sm[i3], y, recip[c])
            smn[i3] = c + (c < SM_LIMIT)
            c = smn[i4]
            sm[i4] = adapted(sm[i4], y, recip[c])
            smn[i4] = c + (c < SM_LIMIT)
            c = smn[i5]
            sm[i5] = adapted(sm[i5], y, recip[c])
            smn[i5] = c + (c < SM_LIMIT)
            bk[b0 + node] = nxt[2 * s0 + y]
            bk[b1 + node] = nxt[2 * s1 + y]
            bk[b2 + node] = nxt[2 * s2 + y]
            bk[b3 + node] = nxt[2 * s3 + y]
            bk[b4 + node] = nxt[2 * s4 + y]
            bk[b5 + node] = nxt[2 * s5 + y]
            if mlen > 0:
                c = smn[msi]
                sm[msi] = adapted(sm[msi], y, recip[c])
                smn[msi] = c + (c < SM_LIMIT)
                if eb != y:
                    mlen = 0
            c0 = c0 * 2 + y
            node = node * 2 + y
        c = c0 & 255
        if mode == DECODE:
            out[i] = c
        if tracing:
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
        hk[0] = context_hash(0, c4 & 0xFF, 0)
        hk[1] = context_hash(1, c4 & 0xFFFF, 0)
        hk[2] = context_hash(2, c4 & 0xFFFFFF, 0)
        hk[3] = context_hash(3, c4, 0)
        hk[4] = context_hash(4, c4, c8 & 0xFFFF)
        hk[5] = context_hash(5, word, 0) if word != 0 else context_hash(5, prev_word, 256 + c)
        # Match model: follow the current match, or look one up after a miss.
        if mlen > 0:
            mptr += 1
            if mlen < 65535:
                mlen += 1
        if i >= MINLEN:
            mh = mix32(((c4 * K_LO) & MASK32) + (((c8 & 0xFFFF) * K_HI) & MASK32)) >> (32 - mbits)
            if mlen == 0:
                cand = int(mt[mh])
                if cand > 0:
                    n = 0
                    while n < MAXVERIFY and cand - 1 - n >= 0 and hist[cand - 1 - n] == hist[hpos - 1 - n]:
                        n += 1
                    if n >= MINLEN:
                        mlen = n
                        mptr = cand
            if undo:
                ml_idx[ml_n] = mh
                ml_val[ml_n] = mt[mh]
                ml_n += 1
            mt[mh] = hpos
    count = i
    if mode == ENCODE:
        count = encode_flush(x1, x2, n_out, out)
    elif mode == DECODE and status == OK and not decode_canonical(x1, x2, x, pos, body):
        status = NONCANONICAL
    if undo:
        for j in range(bl_n - 1, -1, -1):
            at = bl_idx[j]
            bk64[2 * at] = bl_dat[2 * j]
            bk64[2 * at + 1] = bl_dat[2 * j + 1]
        for j in range(ml_n - 1, -1, -1):
            mt[ml_idx[j]] = ml_val[j]
        sm[:] = m.base_sm
        smn[:] = m.base_smn
        base_mw = m.base_mw
        for j in range(8 * i):
            at = ws_log[j]
            for k in range(NIN):
                mw[at + k] = base_mw[at + k]
        for j in range(i + 1):
            at = ef_log[j]
            ef[at] = m.base_ef[at]
            efn[at] = m.base_efn[at]
    else:
        m.cfg[0] = hpos
    # A scratch slot no rule reads: it keeps the prefetching loads above alive.
    m.cfg[3] = touched
    return status, count


@kernel
def learn_all(
    m: Model,
    text: np.ndarray,
    bounds: np.ndarray,
    mode: int,
    empty: np.ndarray,
    no_out: np.ndarray,
    no_trace: np.ndarray,
) -> None:
    """Prime the model with every training message (``text[bounds[j]:bounds[j + 1]]``).

    Call it through :func:`prime`; its arguments have the types every other
    run_message call uses, so numba compiles the big kernel once.
    """
    for j in range(bounds.shape[0] - 1):
        run_message(m, mode, text[bounds[j] : bounds[j + 1]], empty, no_out, no_trace)


def readonly(data: bytes) -> np.ndarray:
    """A read-only uint8 view of bytes: every byte input of the kernel has this one type."""
    return np.frombuffer(data, dtype=np.uint8)


#: The "no input", "no output" and "no trace" arguments of run_message.
EMPTY = readonly(b"")
NO_OUT = np.zeros(0, dtype=np.uint8)
NO_TRACE = np.zeros((0, 3), dtype=np.int32)


def prime(m: Model, bounds: np.ndarray) -> None:
    """Learn the training messages already in the history, ``hist[bounds[j]:bounds[j + 1]]``.

    Learning appends each byte to the history at the position it is read from, so
    the text is learned in place.  The result is the state each message starts from.
    """
    text = m.hist[: bounds[-1]]
    text.flags.writeable = False
    learn_all(m, text, bounds, LEARN, EMPTY, NO_OUT, NO_TRACE)
    commit_priming(m)
