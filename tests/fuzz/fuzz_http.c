/* libFuzzer target: the request-parsing paths of `vigie serve` that see
 * bytes from the network before any authentication — cookie header lookup,
 * static path normalisation, JSON bodies, Accept-Encoding, the listen
 * address.  The first byte chooses the parser.  Invariants checked: a
 * normalised path has no leading '/', no empty segment and no segment
 * starting with '.' (so no ".."); a found cookie value holds only cookie-octets; a parsed JSON
 * body is an object. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/reqparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *in, size_t len)
{
    char out[VG_REQPARSE_PATH_MAX + 16];
    if (vg_reqparse_path(in, len, out, sizeof out) != VG_OK)
        return;
    /* every segment is non-empty and none starts with '.' (so none is "..") */
    if (out[0] == '/' || out[0] == '.' || strstr(out, "/.") || strstr(out, "//") || strchr(out, '\\'))
        abort();
}

static void check_cookie(const char *in, size_t len)
{
    char v[128];
    const char *names[] = {"vigie", "__Host-vigie", "a"};
    for (size_t i = 0; i < 3; i++)
        if (vg_reqparse_cookie(in, len, names[i], v, sizeof v) == VG_OK)
            for (const char *p = v; *p; p++)
                if (*p == ';' || *p == ' ' || *p == '"' || *p == ',' || (unsigned char)*p < 0x21)
                    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    char *z = malloc(len + 1); /* NUL-terminated copy for the C-string parsers */
    if (z == NULL)
        return 0;
    memcpy(z, in, len);
    z[len] = '\0';
    switch (data[0] % 5) {
    case 0:
        check_cookie(in, len);
        break;
    case 1:
        check_path(in, len);
        break;
    case 2: {
        json_t *j = NULL;
        struct vg_diag d;
        if (vg_reqparse_json(in, len, 4096, &j, &d) == VG_OK) {
            if (!json_is_object(j))
                abort();
            (void)vg_reqparse_json_str(j, "user", 64);
        }
        json_decref(j);
        break;
    }
    case 3:
        (void)vg_reqparse_accepts_gzip(z);
        break;
    default: {
        char host[64];
        unsigned port;
        if (vg_reqparse_listen(z, host, sizeof host, &port, NULL) == VG_OK && port > 65535)
            abort();
        break;
    }
    }
    free(z);
    return 0;
}
