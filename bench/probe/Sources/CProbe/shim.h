#include <sqlite3.h>
#include <openssl/evp.h>
