#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/provider.h>

/* BIO_get_mem_data is a function-like macro; Swift cannot call it directly. */
static inline long owatch_bio_mem_data(BIO *bio, char **out) { return BIO_get_mem_data(bio, out); }
