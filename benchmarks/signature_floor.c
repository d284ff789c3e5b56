/* The compiled floor of dedup's text -> signature computation (benchmarks/near_dup.py).
 *
 * The same algorithm as dedup.near.shingling and dedup.near.minhash for ASCII text, as
 * a tight C loop: word tokens (letters lowered, digits, a '.' or ',' between digits),
 * FNV-1a + fmix64 per word, the n-gram multiply-xor chain + fmix64, sorted unique
 * shingles, then MinHash (fmix32, a*h+b mod 2**32, minimum per permutation). Like dedup
 * it first looks for mail parts (a ':' in the first 40 bytes, a line starting '>', ' >'
 * or '--'), but only counts the texts that have them where dedup strips their parts: its
 * signatures equal dedup's on ASCII texts without mail parts; near_dup.py checks.
 * Built by near_dup.py with the machine's cc (-O3 -march=native); skipped without one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t fmix64(uint64_t k) {
    k ^= k >> 33; k *= 0xFF51AFD7ED558CCDULL; k ^= k >> 33; k *= 0xC4CEB9FE1A85EC53ULL;
    return k ^ (k >> 33);
}
static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16; h *= 0x85EBCA6BU; h ^= h >> 13; h *= 0xC2B2AE35U; return h ^ (h >> 16);
}
/* Inline quicksort (insertion sort below 16): qsort's comparison calls cost 2x. */
static void sort64(uint64_t *v, long n) {
    while (n > 16) {
        uint64_t p = v[n / 2], t;
        long i = 0, j = n - 1;
        while (i <= j) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i <= j) { t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        if (j + 1 < n - i) { sort64(v, j + 1); v += i; n -= i; }
        else { sort64(v + i, n - i); n = j + 1; }
    }
    for (long i = 1; i < n; i++) {
        uint64_t x = v[i];
        long j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}
static inline int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static inline int word_byte(const uint8_t *s, long i, long n) {
    uint8_t c = s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c >= 0x80) return 1;
    return (c == '.' || c == ',') && i > 0 && i + 1 < n && is_digit(s[i - 1]) && is_digit(s[i + 1]);
}

/* MinHash of one sorted shingle set: the step numpy does in signatures(). */
static void minhash(const uint64_t *shingles, long count, const uint32_t *a, const uint32_t *b,
                    int num_perm, uint32_t *out) {
    for (int k = 0; k < num_perm; k++) out[k] = 0xFFFFFFFFU;
    for (long i = 0; i < count; i++) {
        uint32_t h = fmix32((uint32_t)shingles[i]);
        for (int k = 0; k < num_perm; k++) {
            uint32_t v = a[k] * h + b[k];
            out[k] = v < out[k] ? v : out[k];
        }
    }
}

/* Shingle sets given (concatenated, with offsets) to signatures. */
void signatures_of_sets(const uint64_t *all, const int64_t *offsets, long docs,
                        const uint32_t *a, const uint32_t *b, int num_perm, uint32_t *out) {
    for (long d = 0; d < docs; d++)
        minhash(all + offsets[d], offsets[d + 1] - offsets[d], a, b, num_perm,
                out + d * num_perm);
}

/* Whether a text may hold mail parts: dedup's mail_part_candidates() test for ASCII. */
static int is_mail_candidate(const uint8_t *s, long n) {
    for (long i = 0; i < n && i < 40; i++)
        if (s[i] == ':') {
            if (i > 0) return 1;
            break;
        }
    const uint8_t *line = s, *end = s + n;
    while (line < end) {  /* line to line by memchr, as a tight loop would */
        uint8_t first = line[0], second = line + 1 < end ? line[1] : 0;
        if (first == '>' || (first == ' ' && second == '>') || (first == '-' && second == '-'))
            return 1;
        const uint8_t *newline = memchr(line, '\n', (size_t)(end - line));
        if (newline == NULL) break;
        line = newline + 1;
    }
    return 0;
}

/* ASCII texts to signatures: dedup's word tokens, FNV-1a + fmix64 per word, n-gram
   multiply-xor chain + fmix64, sorted unique, then MinHash. Returns how many texts were
   mail-part candidates (dedup rereads those; the floor does not). */
long signatures_of_texts(const uint8_t *data, const int64_t *offsets, long docs, int size,
                         uint64_t salt, const uint32_t *a, const uint32_t *b, int num_perm,
                         uint32_t *out) {
    long capacity = 1024;
    uint64_t *tokens = malloc(capacity * sizeof *tokens);
    uint64_t *shingles = malloc(capacity * sizeof *shingles);
    const uint64_t combine = 0x9E3779B97F4A7C15ULL;
    long candidates = 0;
    for (long d = 0; d < docs; d++) {
        const uint8_t *s = data + offsets[d];
        long n = offsets[d + 1] - offsets[d], count = 0;
        candidates += is_mail_candidate(s, n);
        for (long i = 0; i < n;) {
            if (!word_byte(s, i, n)) { i++; continue; }
            uint64_t h = 0xCBF29CE484222325ULL;
            long start = i;
            for (; i < n && word_byte(s, i, n); i++) {
                uint8_t c = s[i];
                if (c >= 'A' && c <= 'Z') c += 32;
                h = (h ^ c) * 0x100000001B3ULL;
            }
            if (count == capacity) {
                capacity *= 2;
                tokens = realloc(tokens, capacity * sizeof *tokens);
                shingles = realloc(shingles, capacity * sizeof *shingles);
            }
            tokens[count++] = fmix64(h + (uint64_t)(i - start) * combine);
        }
        long made = 0;
        if (count > 0 && count < size) {
            uint64_t v = salt;
            for (long j = 0; j < count; j++) v = (v ^ tokens[j]) * combine;
            shingles[made++] = fmix64(v);
        }
        for (long j = 0; j + size <= count; j++) {
            uint64_t v = salt;
            for (int k = 0; k < size; k++) v = (v ^ tokens[j + k]) * combine;
            shingles[made++] = fmix64(v);
        }
        sort64(shingles, made);
        long unique = 0;
        for (long j = 0; j < made; j++)
            if (unique == 0 || shingles[j] != shingles[unique - 1]) shingles[unique++] = shingles[j];
        minhash(shingles, unique, a, b, num_perm, out + d * num_perm);
    }
    free(tokens);
    free(shingles);
    return candidates;
}
