/* The tagger's fast path: normalise + leftmost-longest dictionary pass + scope checks + sentiment +
 * evidence, for a batch of utterances per call. It implements exactly what voc/tagging/match.py
 * specifies (the reference); tests/tagging/test_engines.py holds the two to identical results.
 *
 * No Python API: the tables are flat arrays built by native/__init__.py and passed by pointer, so the
 * library builds with any C compiler and loads with ctypes. All offsets are code points, like Python
 * str indices. Floating point follows the reference's expressions and order (built with
 * -ffp-contract=off so no fused multiply-add changes a rounding).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { TRIG, NEG, QCUE, BREAK, QUOTE, SENT, INTENS, SARC, INSULT, TAGQ };
enum { CLAUSE_END, SENTENCE_END, QUESTION_END };
enum { Q_TOGGLE, Q_OPEN, Q_CLOSE };
enum { CLAUSE, SENTENCE, UTTERANCE };
enum { BLOCK, REQUIRE, ANY };
enum { NEGATIVE, NEUTRAL, POSITIVE };

typedef struct {
    /* leftmost-longest dictionary: a trie over code points */
    const int32_t *root_next;     /* [65536] child of the root per BMP code point, -1 if none */
    const int32_t *child_start;   /* [states] first edge of a state (edges sorted by code point) */
    const int32_t *child_count;   /* [states] */
    const uint32_t *edge_cp;      /* [edges] */
    const int32_t *edge_next;     /* [edges] */
    const int32_t *word_len;      /* [states] length of the word ending here, 0 if none */
    const int32_t *role_start;    /* [states * 2] customer, agent */
    const int32_t *role_count;    /* [states * 2] */
    const int32_t *role_kind;     /* [roles] */
    const int32_t *role_a;        /* [roles] TRIG: rule; BREAK/QUOTE: arg */
    const int32_t *role_b;        /* [roles] TRIG: offset of the trigger in the word */
    const int32_t *role_c;        /* [roles] TRIG: trigger length */
    const double *role_w;         /* [roles] SENT: weight */
    /* word groups and reported-speech markers: every occurrence, from a second trie */
    const int32_t *g_root_next;
    const int32_t *g_child_start;
    const int32_t *g_child_count;
    const uint32_t *g_edge_cp;
    const int32_t *g_edge_next;
    const int32_t *g_word_len;
    const int32_t *g_list_start;  /* [g_states] groups a word belongs to (reported marker = n_groups) */
    const int32_t *g_list_count;
    const int32_t *g_list;
    int32_t n_groups;
    /* rules */
    const int32_t *rule_code, *rule_side, *rule_question, *rule_negation, *rule_quoted, *rule_reported;
    const int32_t *rule_needs_negative, *rule_negative, *rule_exclaim, *rule_cond_start, *rule_cond_count, *rule_implied_name;
    const int32_t *cond_group, *cond_scope, *cond_need;
    const int32_t *exclaim_rules;
    int32_t n_exclaim;
    /* codes: sentiment polarity, implied codes */
    const double *polarity;
    const int32_t *implies_start, *implies_count, *implies;
    int32_t n_codes;
    /* normalisation: per BMP code point (identity where unchanged) */
    const uint32_t *norm_map;
    /* PII: words introducing a reference number (code points, each word 0-terminated), lookback in chars */
    const uint32_t *reference_words;
    int32_t n_reference_chars, reference_lookback;
    int32_t neg_window, sent_neg_window, intens_window, tagq_window;
} Tables;


typedef struct { int32_t r, s, e, c, sn; } Trig;
typedef struct { int32_t r, s, e; } Fired;
typedef struct { int32_t code, s, e, name; } Ev;  /* name: RuleSet.evidence_names index */
typedef struct { int32_t s, e, state; } Occ;
typedef struct { int32_t type, s, e; } Pii;
enum { PII_ID, PII_CARD, PII_MOBILE, PII_EMAIL };  /* redact.PII_TYPES order */

/* growable arrays */
#define VEC(T) struct { T *p; int32_t n, cap; }
#define PUSH(v, x) do { if ((v).n == (v).cap) { int32_t c2 = (v).cap ? (v).cap * 2 : 16; \
    void *np = realloc((v).p, sizeof(*(v).p) * (size_t)c2); if (!np) return -1; (v).p = np; (v).cap = c2; } \
    (v).p[(v).n++] = (x); } while (0)

typedef struct {
    uint32_t *cp;
    int32_t *offmap;
    int64_t *orig_byte;  /* byte offset of each input code point (and one past the last) */
    int64_t orig_byte_end;
    int32_t *clause_start, *sentence_start;
    uint8_t *qclause;
    int32_t *reported_at;
    int32_t size;
    VEC(Trig) trig;
    VEC(Fired) fired;
    VEC(Fired) deferred;
    VEC(Ev) ev;
    VEC(Occ) occ;
    VEC(int32_t) codes;
    VEC(Pii) pii;
} Work;

static int reserve(Work *w, int32_t n) {
    if (n + 2 <= w->size) return 0;
    int32_t size = n + 64;
    free(w->cp); free(w->offmap); free(w->clause_start); free(w->sentence_start); free(w->qclause);
    free(w->reported_at); free(w->orig_byte);
    w->orig_byte = malloc(sizeof(int64_t) * (size_t)size);
    w->cp = malloc(sizeof(uint32_t) * (size_t)size);
    w->offmap = malloc(sizeof(int32_t) * (size_t)size);
    w->clause_start = malloc(sizeof(int32_t) * (size_t)size);
    w->sentence_start = malloc(sizeof(int32_t) * (size_t)size);
    w->qclause = malloc((size_t)size);
    w->reported_at = malloc(sizeof(int32_t) * (size_t)size);
    if (!w->orig_byte || !w->cp || !w->offmap || !w->clause_start || !w->sentence_start || !w->qclause || !w->reported_at) return -1;
    w->size = size;
    return 0;
}

static void release(Work *w) {
    free(w->cp); free(w->offmap); free(w->clause_start); free(w->sentence_start); free(w->qclause);
    free(w->reported_at); free(w->orig_byte); free(w->trig.p); free(w->fired.p); free(w->deferred.p); free(w->ev.p); free(w->occ.p);
    free(w->codes.p); free(w->pii.p);
}

/* `count` code points of UTF-8 (as Python encodes str with surrogatepass) -> normalised code points:
 * C0 controls but \t\n\r and DEL dropped, each BMP code point mapped through norm_map. Returns the
 * normalised length; *used the bytes read; *dropped whether offmap is needed. */
static int32_t decode_normalise(const Tables *t, const uint8_t *s, int32_t count, Work *w, int *dropped,
                                int64_t *used) {
    int32_t n = 0, orig = 0;
    int64_t i = 0;
    *dropped = 0;
    for (; orig < count; orig++) {
        w->orig_byte[orig] = i;
        uint32_t c = s[i];
        if (c < 0x80) { i += 1; }
        else if (c < 0xE0) { c = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F); i += 2; }
        else if (c < 0xF0) { c = ((c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F); i += 3; }
        else { c = ((c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) | ((uint32_t)(s[i + 2] & 0x3F) << 6)
                   | (s[i + 3] & 0x3F); i += 4; }
        if ((c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F) { *dropped = 1; continue; }
        if (c < 0x10000) c = t->norm_map[c];
        w->cp[n] = c;
        w->offmap[n] = orig;
        n++;
    }
    w->orig_byte[count] = i;
    *used = i;
    return n;
}

static inline int32_t step(const int32_t *root_next, const int32_t *child_start, const int32_t *child_count,
                           const uint32_t *edge_cp, const int32_t *edge_next, int32_t state, uint32_t c) {
    if (state == 0 && c < 0x10000) return root_next[c];
    int32_t lo = child_start[state], hi = lo + child_count[state];
    while (lo < hi) {
        int32_t mid = (lo + hi) >> 1;
        if (edge_cp[mid] < c) lo = mid + 1; else hi = mid;
    }
    return (lo < child_start[state] + child_count[state] && edge_cp[lo] == c) ? edge_next[lo] : -1;
}

#define MAIN_STEP(st, c) step(t->root_next, t->child_start, t->child_count, t->edge_cp, t->edge_next, st, c)
#define GROUP_STEP(st, c) step(t->g_root_next, t->g_child_start, t->g_child_count, t->g_edge_cp, t->g_edge_next, st, c)

/* every occurrence of a group word or reported marker, once per utterance, only when a trigger needs them */
static int occurrences(const Tables *t, Work *w, int32_t n) {
    w->occ.n = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t st = 0;
        for (int32_t j = i; j < n; j++) {
            st = GROUP_STEP(st, w->cp[j]);
            if (st < 0) break;
            if (t->g_word_len[st]) { Occ o = {i, j + 1, st}; PUSH(w->occ, o); }
        }
    }
    return 0;
}

static int in_list(const Tables *t, int32_t state, int32_t group) {
    const int32_t *g = t->g_list + t->g_list_start[state];
    for (int32_t k = 0; k < t->g_list_count[state]; k++) if (g[k] == group) return 1;
    return 0;
}

static int group_found(const Tables *t, const Work *w, int32_t group, int32_t lo, int32_t hi) {
    for (int32_t k = 0; k < w->occ.n; k++) {
        const Occ *o = &w->occ.p[k];
        if (o->s >= lo && o->e <= hi && in_list(t, o->state, group)) return 1;
    }
    return 0;
}

/* The end of the leftmost reported-speech marker inside [lo, hi) (the longest at its start), or -1.
 * A marker followed by 得 judges how someone speaks (经理讲得很专业): that start does not count. */
static int32_t reported_end(const Tables *t, const Work *w, const uint32_t *cp, int32_t n, int32_t lo, int32_t hi) {
    int32_t cur_s = -1, cur_e = -1;
    for (int32_t k = 0; k <= w->occ.n; k++) {
        const Occ *o = k < w->occ.n ? &w->occ.p[k] : NULL;  /* occurrences come ordered by start */
        if (o && (o->s < lo || o->e > hi || !in_list(t, o->state, t->n_groups))) continue;
        if (cur_s >= 0 && (!o || o->s != cur_s)) {
            if (!(cur_e < n && cp[cur_e] == 0x5F97)) return cur_e;
            cur_s = -1;
        }
        if (!o) break;
        if (o->s != cur_s) { cur_s = o->s; cur_e = o->e; }
        else if (o->e > cur_e) cur_e = o->e;
    }
    return -1;
}


/* ---- PII: the regexes of redact.py, matched the way re.finditer does --------------------------------- */
static inline int dig(uint32_t c) { return c >= '0' && c <= '9'; }
static inline int alnum(uint32_t c) { return dig(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static inline int sep(uint32_t c) { return c == ' ' || c == '-'; }
static inline int local_char(uint32_t c) {
    return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static inline int label_char(uint32_t c) { return alnum(c) || c == '-'; }
static inline int letter(uint32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static inline int ref_filler(uint32_t c) {  /* [:：是为\s] with re.ASCII */
    return c == ':' || c == 0xFF1A || c == 0x662F || c == 0x4E3A || c == ' ' || (c >= 0x09 && c <= 0x0D);
}

static int32_t digit_run(const uint32_t *cp, int32_t n, int32_t i) {
    int32_t j = i;
    while (j < n && dig(cp[j])) j++;
    return j - i;
}

/* /\d[\d \-]{5,}\d|@/: a run of digits, spaces and dashes whose first and last digit are 7+ chars apart */
static int pii_gate(const uint32_t *cp, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        if (cp[i] == '@') return 1;
        if (!dig(cp[i])) continue;
        int32_t last = i, j = i;
        for (; j < n && (dig(cp[j]) || sep(cp[j])); j++) if (dig(cp[j])) last = j;
        if (last - i >= 6) return 1;
        i = j - 1;
    }
    return 0;
}

/* _NOT_PERSONAL.search(text, max(0, start - lookback), start) */
static int reference_number(const Tables *t, const uint32_t *cp, int32_t start) {
    int32_t lo = start - t->reference_lookback;
    if (lo < 0) lo = 0;
    const uint32_t *kw = t->reference_words;
    for (int32_t k = 0; k < t->n_reference_chars;) {
        int32_t len = 0;
        while (kw[k + len]) len++;
        for (int32_t a = lo; a + len <= start; a++) {
            int32_t x = 0;
            while (x < len && cp[a + x] == kw[k + x]) x++;
            if (x < len) continue;
            int32_t b = a + len;
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                    if (b < start && (cp[b] == 0x53F7 || cp[b] == 0x7801)) b++;  /* 号 码 */
                    else break;
                }
                int32_t y = b;
                while (y < start && ref_filler(cp[y])) y++;
                if (y == start) return 1;
            }
        }
        k += len + 1;
    }
    return 0;
}

static int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

static int valid_resident_id(const uint32_t *c) {  /* 18 chars, 17 digits known */
    int y = 0, m, d, total = 0;
    static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    for (int k = 6; k < 10; k++) y = y * 10 + (int)(c[k] - '0');
    m = (int)(c[10] - '0') * 10 + (int)(c[11] - '0');
    d = (int)(c[12] - '0') * 10 + (int)(c[13] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    if (y < 1900 || y > 2100) return 0;
    for (int k = 0; k < 17; k++) total += (int)(c[k] - '0') * weights[k];
    uint32_t last = c[17] == 'x' ? 'X' : c[17];
    return (uint32_t)check[total % 11] == last;
}

static int luhn(const uint32_t *cp, int32_t s, int32_t e) {
    int total = 0, i = 0;
    for (int32_t k = e - 1; k >= s; k--) {
        if (!dig(cp[k])) continue;
        int d = (int)(cp[k] - '0');
        if (i++ % 2) { d *= 2; if (d > 9) d -= 9; }
        total += d;
    }
    return total % 10 == 0;
}

static int is_free(const Work *w, int32_t s, int32_t e) {
    for (int32_t k = 0; k < w->pii.n; k++)
        if (w->pii.p[k].type != PII_EMAIL && !(e <= w->pii.p[k].s || s >= w->pii.p[k].e)) return 0;
    return 1;
}

static int32_t card_at(const uint32_t *cp, int32_t n, int32_t p) {  /* end of a _CARD match at p, or -1 */
    if (p > 0 && (dig(cp[p - 1]) || cp[p - 1] == '-')) return -1;
    if (!(cp[p] >= '3' && cp[p] <= '6')) return -1;
    int32_t run = digit_run(cp, n, p);
    if (run >= 16 && run <= 19 && (p + run == n || cp[p + run] != '-')) return p + run;
    if (run < 4) return -1;
    int32_t q = p + 4;
    for (int g = 0; g < 3; g++, q += 5) {
        if (q + 5 > n || !sep(cp[q]) || digit_run(cp, n, q + 1) < 4) return -1;
    }
    if (q < n && sep(cp[q])) {  /* a separated tail of 1-3 digits */
        int32_t d = digit_run(cp, n, q + 1);
        if (d >= 1 && d <= 3 && (q + 1 + d == n || cp[q + 1 + d] != '-')) return q + 1 + d;
    }
    if (q < n && dig(cp[q])) {  /* an adjoining tail */
        int32_t d = digit_run(cp, n, q);
        return (d <= 3 && (q + d == n || cp[q + d] != '-')) ? q + d : -1;
    }
    return (q == n || cp[q] != '-') ? q : -1;
}

static int32_t mobile_rest(const uint32_t *cp, int32_t n, int32_t r) {
    if (!(r + 3 <= n && cp[r] == '1' && cp[r + 1] >= '3' && cp[r + 1] <= '9' && dig(cp[r + 2]))) return -1;
    r += 3;
    for (int g = 0; g < 2; g++) {
        if (r < n && sep(cp[r])) r++;
        if (r + 4 > n || digit_run(cp, n, r) < 4) return -1;
        r += 4;
    }
    return (r == n || !dig(cp[r])) ? r : -1;
}

static int32_t mobile_at(const uint32_t *cp, int32_t n, int32_t p) {  /* end of a _MOBILE match at p, or -1 */
    if (p > 0 && (dig(cp[p - 1]) || cp[p - 1] == '+')) return -1;
    int32_t q = -1;
    if (cp[p] == '+') q = p + 1;
    else if (p + 1 < n && cp[p] == '0' && cp[p + 1] == '0') q = p + 2;
    if (q >= 0) {
        if (!(q + 2 <= n && cp[q] == '8' && cp[q + 1] == '6')) return -1;
        q += 2;
        if (q < n && sep(cp[q])) {
            int32_t e = mobile_rest(cp, n, q + 1);
            if (e >= 0) return e;
        }
        return mobile_rest(cp, n, q);
    }
    return mobile_rest(cp, n, p);
}

static int32_t email_at(const uint32_t *cp, int32_t n, int32_t p) {  /* end of an _EMAIL match at p, or -1 */
    if (p > 0 && local_char(cp[p - 1])) return -1;
    int32_t at = p;
    while (at < n && local_char(cp[at])) at++;
    if (at == p || at >= n || cp[at] != '@') return -1;
    int32_t pos = at + 1, l1 = pos;
    while (pos < n && label_char(cp[pos])) pos++;
    if (pos == l1) return -1;
    /* the dots that start the following labels; the last one whose label begins with 2+ letters ends it */
    int32_t best = -1;
    while (pos + 1 < n && cp[pos] == '.' && label_char(cp[pos + 1])) {
        int32_t lab = pos + 1, e = lab;
        while (e < n && letter(cp[e])) e++;
        if (e - lab >= 2) best = e;
        pos = lab;
        while (pos < n && label_char(cp[pos])) pos++;
    }
    return best;
}

static int find_pii(const Tables *t, Work *w, const uint32_t *cp, int32_t n) {
    w->pii.n = 0;
    if (!pii_gate(cp, n)) return 0;
    for (int32_t p = 0; p + 18 <= n;) {  /* _ID: fixed width */
        int ok = (p == 0 || !alnum(cp[p - 1])) && (p + 18 == n || !alnum(cp[p + 18]));
        for (int32_t k = 0; ok && k < 17; k++) ok = dig(cp[p + k]);
        ok = ok && (dig(cp[p + 17]) || cp[p + 17] == 'X' || cp[p + 17] == 'x');
        if (!ok) { p++; continue; }
        if (valid_resident_id(cp + p) && !reference_number(t, cp, p)) { Pii x = {PII_ID, p, p + 18}; PUSH(w->pii, x); }
        p += 18;
    }
    for (int32_t p = 0; p < n;) {
        int32_t e = card_at(cp, n, p);
        if (e < 0) { p++; continue; }
        if (luhn(cp, p, e) && is_free(w, p, e) && !reference_number(t, cp, p)) { Pii x = {PII_CARD, p, e}; PUSH(w->pii, x); }
        p = e;
    }
    for (int32_t p = 0; p < n;) {
        int32_t e = mobile_at(cp, n, p);
        if (e < 0) { p++; continue; }
        if (is_free(w, p, e)) { Pii x = {PII_MOBILE, p, e}; PUSH(w->pii, x); }
        p = e;
    }
    int any_at = 0;
    for (int32_t p = 0; p < n; p++) if (cp[p] == '@') { any_at = 1; break; }
    if (any_at) {
        int32_t found = w->pii.n;
        for (int32_t p = 0; p < n;) {
            int32_t e = email_at(cp, n, p);
            if (e < 0) { p++; continue; }
            int ok = 1;
            for (int32_t k = 0; k < found; k++) if (!(e <= w->pii.p[k].s || p >= w->pii.p[k].e)) ok = 0;
            if (ok) { Pii x = {PII_EMAIL, p, e}; PUSH(w->pii, x); }
            p = e;
        }
    }
    for (int32_t a = 1; a < w->pii.n; a++) {  /* stable insertion sort by start */
        Pii x = w->pii.p[a];
        int32_t b = a - 1;
        while (b >= 0 && w->pii.p[b].s > x.s) { w->pii.p[b + 1] = w->pii.p[b]; b--; }
        w->pii.p[b + 1] = x;
    }
    return 0;
}

static int analyse_one(const Tables *t, Work *w, const uint8_t *text, int32_t count, int agent,
                       int8_t *label_out, double *value_out, double *intensity_out, int64_t *used) {
    int dropped;
    if (reserve(w, count) < 0) return -1;
    int32_t n = decode_normalise(t, text, count, w, &dropped, used);
    const uint32_t *cp = w->cp;
    int side = agent ? 1 : 0;

    if (find_pii(t, w, cp, n) < 0) return -1;
    if (dropped)
        for (int32_t k = 0; k < w->pii.n; k++) {
            w->pii.p[k].s = w->offmap[w->pii.p[k].s];
            w->pii.p[k].e = w->offmap[w->pii.p[k].e - 1] + 1;
        }

    w->trig.n = w->fired.n = w->deferred.n = w->ev.n = w->codes.n = 0;
    int32_t clause = 0, sentence = 0;
    w->clause_start[0] = 0;
    w->sentence_start[0] = 0;
    memset(w->qclause, 0, (size_t)n + 2);
    int quote = 0;
    int32_t neg_end = -99, neg_clause = -99, intens_end = -99;
    int prohibitive = 0;  /* the last negation was 别/不要 ("don't"), not 不/没 ("not") */
    double positive = 0.0, negative = 0.0;
    int32_t negative_words = 0, negations = 0, sarcasm = 0, quoted_positive = 0, insults = 0;

    for (int32_t i = 0; i < n;) {
        int32_t st = MAIN_STEP(0, cp[i]);
        if (st < 0) { i++; continue; }
        int32_t best = t->word_len[st] ? st : -1;
        for (int32_t j = i + 1; j < n; j++) {
            st = MAIN_STEP(st, cp[j]);
            if (st < 0) break;
            if (t->word_len[st]) best = st;
        }
        if (best < 0) { i++; continue; }
        int32_t start = i, stop = i + t->word_len[best];
        int32_t r0 = t->role_start[best * 2 + side], rn = t->role_count[best * 2 + side];
        for (int32_t k = r0; k < r0 + rn; k++) {
            int32_t a = t->role_a[k];
            switch (t->role_kind[k]) {
            case TRIG: {
                int32_t s0 = start + t->role_b[k];
                if (quote && t->rule_quoted[a] == BLOCK) break;
                if (t->rule_negation[a] == BLOCK && neg_clause == clause && s0 - t->neg_window <= neg_end
                    && !(prohibitive && t->rule_negative[a])) break;
                Trig tr = {a, s0, s0 + t->role_c[k], clause, sentence};
                PUSH(w->trig, tr);
                break;
            }
            case BREAK:
                if (a == QUESTION_END) w->qclause[clause] = 1;
                clause++;
                w->clause_start[clause] = stop;
                if (a) { sentence++; w->sentence_start[sentence] = stop; }
                break;
            case SENT: {
                double wt = t->role_w[k];
                if (start - t->intens_window <= intens_end) wt = wt * 1.5;
                if (neg_clause == clause && start - t->sent_neg_window <= neg_end)
                    wt = (prohibitive && wt < 0) ? 0.0 : -0.6 * wt;
                if (wt > 0) {
                    if (quote) quoted_positive++; else positive += wt;
                } else if (wt < 0) {
                    negative += wt;
                    negative_words++;
                }
                break;
            }
            case NEG: neg_end = stop; neg_clause = clause; prohibitive = a == 1; negations++; break;
            case QCUE: w->qclause[clause] = 1; break;
            case QUOTE: quote = (a == Q_TOGGLE) ? !quote : (a == Q_OPEN); break;
            case INTENS: intens_end = stop; break;
            case TAGQ:
                if (clause && start - w->clause_start[clause] <= t->tagq_window) w->qclause[clause - 1] = 1;
                w->qclause[clause] = 1;
                break;
            case SARC: sarcasm++; break;
            case INSULT: insults++; break;
            }
        }
        i = stop;
    }

    /* exclamation runs */
    int32_t bangs = 0, bang_runs = 0;
    for (int32_t i = 0; i < n; i++) if (cp[i] == '!' || cp[i] == 0xFF01) bangs++;
    if (bangs) {
        for (int32_t i = 0; i < n;) {
            if (cp[i] == '!' || cp[i] == 0xFF01) {
                int32_t j = i;
                while (j < n && (cp[j] == '!' || cp[j] == 0xFF01)) j++;
                if (j - i >= 2) bang_runs += j - i - 1;
                i = j;
            } else i++;
        }
    }

    /* scope checks */
    int32_t last_clause = clause;
    int have_occ = 0;
    for (int32_t c = 0; c <= last_clause; c++) w->reported_at[c] = -2;  /* not computed */
    for (int32_t k = 0; k < w->trig.n; k++) {
        Trig tr = w->trig.p[k];
        int32_t r = tr.r;
        if (t->rule_question[r] != ANY && (w->qclause[tr.c] != 0) != (t->rule_question[r] == REQUIRE)) continue;
        int32_t clo = w->clause_start[tr.c], chi = tr.c < last_clause ? w->clause_start[tr.c + 1] : n;
        if (t->rule_reported[r] == BLOCK) {
            if (w->reported_at[tr.c] == -2) {
                if (!have_occ) { if (occurrences(t, w, n) < 0) return -1; have_occ = 1; }
                int32_t e = reported_end(t, w, cp, n, clo, chi);
                w->reported_at[tr.c] = e >= 0 ? e : n + 1;
            }
            if (w->reported_at[tr.c] <= tr.s) continue;
        }
        int ok = 1;
        for (int32_t q = t->rule_cond_start[r]; q < t->rule_cond_start[r] + t->rule_cond_count[r]; q++) {
            if (!have_occ) { if (occurrences(t, w, n) < 0) return -1; have_occ = 1; }
            int32_t lo, hi;
            if (t->cond_scope[q] == CLAUSE) { lo = clo; hi = chi; }
            else if (t->cond_scope[q] == SENTENCE) {
                lo = w->sentence_start[tr.sn]; hi = tr.sn < sentence ? w->sentence_start[tr.sn + 1] : n;
            } else { lo = 0; hi = n; }
            if (group_found(t, w, t->cond_group[q], lo, hi) != t->cond_need[q]) { ok = 0; break; }
        }
        if (ok) {
            Fired f = {r, tr.s, tr.e};
            if (t->rule_needs_negative[r]) PUSH(w->deferred, f); else PUSH(w->fired, f);
        }
    }
    if (bang_runs) {
        for (int32_t x = 0; x < t->n_exclaim; x++) {
            int32_t r = t->exclaim_rules[x];
            if (t->rule_side[r] == (agent ? 0 : 1)) continue;  /* a rule of the other speaker */
            for (int32_t i = 0; i < n;) {
                if (cp[i] == '!' || cp[i] == 0xFF01) {
                    int32_t j = i;
                    while (j < n && (cp[j] == '!' || cp[j] == 0xFF01)) j++;
                    if (j - i >= 2 && j - i >= t->rule_exclaim[r]) {
                        Fired f = {r, i, j};
                        if (t->rule_needs_negative[r]) PUSH(w->deferred, f); else PUSH(w->fired, f);
                        break;
                    }
                    i = j;
                } else i++;
            }
        }
    }

    /* sentiment: the fired codes' polarity summed in code order, then the reference's formula */
    for (int32_t k = 0; k < w->fired.n; k++) {
        int32_t code = t->rule_code[w->fired.p[k].r];
        int32_t pos = 0;
        while (pos < w->codes.n && w->codes.p[pos] < code) pos++;
        if (pos < w->codes.n && w->codes.p[pos] == code) continue;
        PUSH(w->codes, code);
        memmove(w->codes.p + pos + 1, w->codes.p + pos, sizeof(int32_t) * (size_t)(w->codes.n - 1 - pos));
        w->codes.p[pos] = code;
    }
    double tag_polarity = 0.0;
    for (int32_t k = 0; k < w->codes.n; k++) tag_polarity += t->polarity[w->codes.p[k]];
    if (sarcasm) { negative = negative - positive; positive = 0.0; }
    if (agent) negative *= 0.5;
    double raw = positive + negative + tag_polarity - 1.5 * (double)(quoted_positive + insults) - 1.2 * (double)sarcasm;
    if (bangs) raw *= 1.0 + 0.15 * (double)(bangs < 6 ? bangs : 6);
    double value = raw / ((raw < 0 ? -raw : raw) + 1.0);
    int label = raw >= 1.0 ? POSITIVE : raw <= -1.0 ? NEGATIVE : NEUTRAL;
    double intensity = 0.2 * (double)(bangs < 10 ? bangs : 10) + 0.5 * (double)(bang_runs < 10 ? bang_runs : 10)
                       + 1.0 * (double)insults + 0.3 * (double)negative_words + 0.1 * (double)negations
                       + 0.5 * (double)(sarcasm + quoted_positive);
    *label_out = (int8_t)label;
    /* rounded to 4 decimals half-to-even, as sentiment.rounded() does */
    *value_out = rint(value * 10000.0) / 10000.0;
    *intensity_out = rint(intensity * 10000.0) / 10000.0;

    /* evidence: fired (then deferred, if negative) in order; first rule per (code, span); implied codes */
    int32_t total = w->fired.n + (label == NEGATIVE ? w->deferred.n : 0);
    for (int32_t k = 0; k < total; k++) {
        Fired f = k < w->fired.n ? w->fired.p[k] : w->deferred.p[k - w->fired.n];
        int32_t s = f.s, e = f.e;
        if (dropped) { s = w->offmap[s]; e = w->offmap[e - 1] + 1; }
        int32_t code = t->rule_code[f.r];
        int seen = 0;
        for (int32_t q = 0; q < w->ev.n; q++)
            if (w->ev.p[q].code == code && w->ev.p[q].s == s && w->ev.p[q].e == e) { seen = 1; break; }
        if (seen) continue;
        Ev ev = {code, s, e, f.r};
        PUSH(w->ev, ev);
        for (int32_t q = 0; q < t->implies_count[code]; q++) {
            int32_t ic = t->implies[t->implies_start[code] + q], dup = 0;
            for (int32_t z = 0; z < w->ev.n; z++)
                if (w->ev.p[z].code == ic && w->ev.p[z].s == s && w->ev.p[z].e == e) { dup = 1; break; }
            if (!dup) { Ev iv = {ic, s, e, t->rule_implied_name[f.r] + q}; PUSH(w->ev, iv); }
        }
    }
    /* insertion sort by (start, end, code): keys are unique, so the order is total */
    for (int32_t a = 1; a < w->ev.n; a++) {
        Ev x = w->ev.p[a];
        int32_t b = a - 1;
        while (b >= 0 && (w->ev.p[b].s > x.s || (w->ev.p[b].s == x.s && (w->ev.p[b].e > x.e ||
               (w->ev.p[b].e == x.e && w->ev.p[b].code > x.code))))) {
            w->ev.p[b + 1] = w->ev.p[b];
            b--;
        }
        w->ev.p[b + 1] = x;
    }
    /* the tags: distinct codes, ascending */
    w->codes.n = 0;
    for (int32_t k = 0; k < w->ev.n; k++) {
        int32_t code = w->ev.p[k].code, pos = 0;
        while (pos < w->codes.n && w->codes.p[pos] < code) pos++;
        if (pos < w->codes.n && w->codes.p[pos] == code) continue;
        PUSH(w->codes, code);
        memmove(w->codes.p + pos + 1, w->codes.p + pos, sizeof(int32_t) * (size_t)(w->codes.n - 1 - pos));
        w->codes.p[pos] = code;
    }
    return 0;
}



/* ---- Python objects: TagResult tuples built here, through CPython's stable ABI ------------------------
 * Declared, not included: the library needs no Python headers. These functions resolve against the
 * interpreter that loads the library (ctypes.PyDLL, so the GIL is held while they run). */
typedef struct _object PyObject;
typedef intptr_t Py_ssize_t;
extern PyObject *PyList_New(Py_ssize_t);
extern int PyList_SetItem(PyObject *, Py_ssize_t, PyObject *);
extern PyObject *PyList_GetItem(PyObject *, Py_ssize_t);
extern PyObject *PyTuple_GetItem(PyObject *, Py_ssize_t);
extern int PyTuple_SetItem(PyObject *, Py_ssize_t, PyObject *);
extern PyObject *PyType_GenericAlloc(PyObject *, Py_ssize_t);
extern PyObject *PyLong_FromLong(long);
extern PyObject *PyFloat_FromDouble(double);
extern PyObject *PyObject_CallFunctionObjArgs(PyObject *, ...);
extern void Py_IncRef(PyObject *);
extern void Py_DecRef(PyObject *);
extern PyObject *PyErr_NoMemory(void);

typedef struct {
    PyObject *codes, *names, *labels, *pii_types;  /* lists of str: code, evidence name, label, PII type */
    PyObject *evidence_type, *pii_type, *result_type;  /* the NamedTuple classes */
    PyObject *version;  /* int */
    PyObject *redact;   /* apply(text, pii spans) -> redacted text */
} PyNames;

static PyObject *borrowed(PyObject *list, int32_t i) {
    PyObject *o = PyList_GetItem(list, i);
    Py_IncRef(o);
    return o;
}

/* a NamedTuple instance of `type` from n new references (stolen, also on failure) */
static PyObject *named(PyObject *type, int n, PyObject **items) {
    PyObject *o = PyType_GenericAlloc(type, n);
    for (int k = 0; k < n; k++) {
        if (!items[k] || !o) {
            for (int z = k; z < n; z++) if (items[z]) Py_DecRef(items[z]);
            if (o) Py_DecRef(o);
            return NULL;
        }
        PyTuple_SetItem(o, k, items[k]);
    }
    return o;
}

static PyObject *result_object(const PyNames *py, const Work *w, PyObject *text, int label, double value,
                               double intensity) {
    PyObject *tags = PyList_New(w->codes.n), *evidence = PyList_New(w->ev.n), *pii = PyList_New(w->pii.n);
    PyObject *redacted = NULL;
    if (!tags || !evidence || !pii) goto fail;
    for (int32_t k = 0; k < w->codes.n; k++) PyList_SetItem(tags, k, borrowed(py->codes, w->codes.p[k]));
    for (int32_t k = 0; k < w->ev.n; k++) {
        const Ev *e = &w->ev.p[k];
        PyObject *items[4] = {borrowed(py->codes, e->code), PyLong_FromLong(e->s), PyLong_FromLong(e->e),
                              borrowed(py->names, e->name)};
        PyObject *o = named(py->evidence_type, 4, items);
        if (!o) goto fail;
        PyList_SetItem(evidence, k, o);
    }
    for (int32_t k = 0; k < w->pii.n; k++) {
        const Pii *x = &w->pii.p[k];
        PyObject *items[3] = {borrowed(py->pii_types, x->type), PyLong_FromLong(x->s), PyLong_FromLong(x->e)};
        PyObject *o = named(py->pii_type, 3, items);
        if (!o) goto fail;
        PyList_SetItem(pii, k, o);
    }
    if (w->pii.n) {
        redacted = PyObject_CallFunctionObjArgs(py->redact, text, pii, NULL);
        if (!redacted) goto fail;
    } else {
        Py_IncRef(text);
        redacted = text;
    }
    PyObject *items[8] = {tags, borrowed(py->labels, label), PyFloat_FromDouble(value),
                          PyFloat_FromDouble(intensity), pii, redacted, evidence, (Py_IncRef(py->version), py->version)};
    return named(py->result_type, 8, items);
fail:
    if (tags) Py_DecRef(tags);
    if (evidence) Py_DecRef(evidence);
    if (pii) Py_DecRef(pii);
    return NULL;
}

/* Tag utterances [0, n): buf holds their UTF-8 back to back, text i being lens[i] code points long (the
 * str objects themselves are texts[i]); agent[i] is its speaker. Returns a new list of TagResult, or
 * NULL with a Python exception set. */
PyObject *voc_tag_objects(const Tables *t, const PyNames *py, int32_t n, const uint8_t *buf, const int32_t *lens,
                          const uint8_t *agent, PyObject *texts) {
    Work w;
    memset(&w, 0, sizeof w);
    PyObject *out = PyList_New(n);
    int64_t pos = 0;
    for (int32_t i = 0; out && i < n; i++) {
        int8_t label;
        double value, intensity;
        int64_t used;
        PyObject *r = NULL;
        if (analyse_one(t, &w, buf + pos, lens[i], agent[i], &label, &value, &intensity, &used) == 0)
            r = result_object(py, &w, PyList_GetItem(texts, i), label, value, intensity);
        else
            PyErr_NoMemory();
        if (!r) {
            Py_DecRef(out);
            out = NULL;
            break;
        }
        PyList_SetItem(out, i, r);
        pos += used;
    }
    release(&w);
    return out;  /* NULL: a Python exception is set (MemoryError, or what redact raised) */
}

/* ---- `voc tag` output: the JSON line orjson would write for jsonl.py's dict ------------------------- */
typedef struct {
    const uint8_t *bytes;   /* JSON string literals back to back, quotes included */
    const int64_t *offs;    /* [count + 1] */
} Strings;

typedef struct {
    Strings code, name, label, pii_type;
    Strings placeholder;    /* raw UTF-8, no quotes: inserted inside the redacted_text string */
} JsonTables;

typedef struct { uint8_t *p; int64_t n, cap; } Buf;

static int put(Buf *b, const void *src, int64_t len) {
    if (b->n + len > b->cap) return -1;
    memcpy(b->p + b->n, src, (size_t)len);
    b->n += len;
    return 0;
}
#define PUTS(b, lit) put(b, lit, (int64_t)sizeof(lit) - 1)

static int put_string(Buf *b, const Strings *s, int32_t i) {
    return put(b, s->bytes + s->offs[i], s->offs[i + 1] - s->offs[i]);
}

static int put_int(Buf *b, int64_t v) {
    char tmp[24];
    int k = 0;
    if (v < 0) { if (put(b, "-", 1) < 0) return -1; v = -v; }
    do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    if (b->n + k > b->cap) return -1;
    while (k) b->p[b->n++] = (uint8_t)tmp[--k];
    return 0;
}

/* UTF-8 bytes as the inside of a JSON string, escaped the way orjson does */
static int put_escaped(Buf *b, const uint8_t *s, int64_t len) {
    static const char hex[] = "0123456789abcdef";
    for (int64_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            if (b->n >= b->cap) return -1;
            b->p[b->n++] = c;
            continue;
        }
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        int k = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\t': e[1] = 't'; break;
        case '\n': e[1] = 'n'; break;
        case '\f': e[1] = 'f'; break;
        case '\r': e[1] = 'r'; break;
        default: e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15]; k = 6;
        }
        if (put(b, e, k) < 0) return -1;
    }
    return 0;
}

static int write_line(const JsonTables *j, const Work *w, const uint8_t *text, int label,
                      const uint8_t *id, int64_t id_len, Buf *b) {
    if (PUTS(b, "{\"id\":") < 0 || put(b, id, id_len) < 0 || PUTS(b, ",\"tags\":[") < 0) return -1;
    for (int32_t k = 0; k < w->codes.n; k++)
        if ((k && PUTS(b, ",") < 0) || put_string(b, &j->code, w->codes.p[k]) < 0) return -1;
    if (PUTS(b, "],\"sentiment\":") < 0 || put_string(b, &j->label, label) < 0 || PUTS(b, ",\"pii\":[") < 0)
        return -1;
    for (int32_t k = 0; k < w->pii.n; k++) {
        const Pii *x = &w->pii.p[k];
        if ((k && PUTS(b, ",") < 0) || PUTS(b, "{\"type\":") < 0 || put_string(b, &j->pii_type, x->type) < 0
            || PUTS(b, ",\"start\":") < 0 || put_int(b, x->s) < 0 || PUTS(b, ",\"end\":") < 0
            || put_int(b, x->e) < 0 || PUTS(b, "}") < 0)
            return -1;
    }
    if (PUTS(b, "],\"redacted_text\":\"") < 0) return -1;
    int64_t pos = 0;
    for (int32_t k = 0; k < w->pii.n; k++) {
        const Pii *x = &w->pii.p[k];
        int64_t s = w->orig_byte[x->s], e = w->orig_byte[x->e];
        if (put_escaped(b, text + pos, s - pos) < 0 || put_string(b, &j->placeholder, x->type) < 0) return -1;
        pos = e;
    }
    if (put_escaped(b, text + pos, w->orig_byte_end - pos) < 0 || PUTS(b, "\",\"evidence\":[") < 0) return -1;
    for (int32_t k = 0; k < w->ev.n; k++) {
        const Ev *x = &w->ev.p[k];
        if ((k && PUTS(b, ",") < 0) || PUTS(b, "{\"code\":") < 0 || put_string(b, &j->code, x->code) < 0
            || PUTS(b, ",\"start\":") < 0 || put_int(b, x->s) < 0 || PUTS(b, ",\"end\":") < 0
            || put_int(b, x->e) < 0 || PUTS(b, ",\"rule\":") < 0 || put_string(b, &j->name, x->name) < 0
            || PUTS(b, "}") < 0)
            return -1;
    }
    return PUTS(b, "]}\n");
}

/* Tag utterances [0, n) (buf/lens/agent as for voc_tag_objects) and write their `voc tag` JSON lines into out,
 * ids[id_offs[i]:id_offs[i+1]] being utterance i's id already as JSON. line_end[i] is where line i ends.
 * Returns how many lines were written (fewer than n when out is full: call again with the rest from
 * buf + *bytes_used), or -1 when memory ran out. */
int voc_tag_jsonl(const Tables *t, const JsonTables *j, int32_t n, const uint8_t *buf, const int32_t *lens,
                  const uint8_t *agent, const uint8_t *ids, const int64_t *id_offs, uint8_t *out, int64_t capacity,
                  int64_t *line_end, int64_t *bytes_used) {
    Work w;
    memset(&w, 0, sizeof w);
    Buf b = {out, 0, capacity};
    *bytes_used = 0;
    int32_t done = 0;
    for (; done < n; done++) {
        int8_t label;
        double value, intensity;
        int64_t used;
        if (analyse_one(t, &w, buf + *bytes_used, lens[done], agent[done], &label, &value, &intensity, &used) < 0) {
            release(&w);
            return -1;
        }
        w.orig_byte_end = used;
        int64_t mark = b.n;
        if (write_line(j, &w, buf + *bytes_used, label, ids + id_offs[done], id_offs[done + 1] - id_offs[done],
                       &b) < 0) {
            b.n = mark;
            break;
        }
        line_end[done] = b.n;
        *bytes_used += used;
    }
    release(&w);
    return done;
}

int voc_abi_version(void) { return 9; }
