/*
 * fuzz_classify.c — libFuzzer target for the rules parser and the
 * classifier.  Input = rules text, a line "--", then the text to classify.
 * Rule errors are fine; crashes, leaks and out-of-range confidences are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *text = s;
    size_t rl = 0, tl = size;
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(s + i, "\n--\n", 4) == 0) {
            rl = i;
            text = s + i + 4;
            tl = size - i - 4;
            break;
        }
    struct vg_classifier *c = NULL;
    struct vg_diag d;
    if (vg_classifier_new(NULL, &c) != VG_OK)
        abort();
    (void)vg_classifier_parse_rules(c, s, rl, "fuzz", &d);
    struct vg_class_result r;
    if (vg_classify(c, text, tl, &r) == VG_OK &&
        (!(r.confidence >= 0 && r.confidence <= 1) || r.category[0] == '\0'))
        abort();
    vg_classifier_free(c);
    return 0;
}
