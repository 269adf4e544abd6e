#include <sys/prctl.h>

/* prctl(2) is variadic, which Swift cannot import. Makes this process the reaper of its
   orphaned descendants (a hook's setsid grandchild), so owatch can end them at the timeout. */
static inline int owatch_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
