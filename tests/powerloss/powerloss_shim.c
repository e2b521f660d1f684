// Simulated power loss below the database: an LD_PRELOAD library that remembers, for every file
// under $POWERLOSS_DIR, what was written since the file was last fsync'ed, so that after the
// process is SIGKILLed powerloss_undo can throw exactly that away (what a power cut does to the
// page cache; kill -9 alone keeps it). The same idea as SQLite's crash tests and leveldb's
// db/fault_injection_test.cc, done at the libc boundary so the real binary runs unchanged.
//
//   cc -shared -fPIC -O1 -o powerloss_shim.so powerloss_shim.c -ldl -lpthread
//   POWERLOSS_DIR=data LD_PRELOAD=./powerloss_shim.so motcua serve --data data ...
//   kill -9 ...; powerloss_undo data undo.log
//
// Environment:
//   POWERLOSS_DIR           files below this directory are tracked (required; unset = no-op)
//   POWERLOSS_LOG           the undo log (default $POWERLOSS_DIR/../undo.log); must not exist: the
//                           process that creates it is tracked, any other one is not
//   POWERLOSS_IGNORE_FSYNC  1: fsync/fdatasync return 0 without syncing and without marking
//                           anything durable (the control case: acknowledged writes must be lost)
//
// How: every tracked file descriptor (open/openat/creat of a regular file whose /proc/self/fd
// path lies below the directory; not *-shm, which SQLite mmaps and rebuilds from the WAL; copies
// made by dup/dup2/dup3/fcntl(F_DUPFD)) gets a slot; a write to any other descriptor (sockets,
// logs) costs one atomic load. Before a write/pwrite/writev/pwritev/ftruncate on it, an undo record (path, offset, the
// bytes that were there, the file size) is appended to the undo log with one plain write(); only
// then does the real write happen, under one mutex, so the log order is the file order. An
// fsync/fdatasync takes the record counter S before the real call and, once it returned 0, appends
// "synced path < S": everything written to that file before the sync began is durable (writes
// racing with the sync are not). The log lives in the page cache, which survives SIGKILL.
//
// Directory entries, loosely: a file created under the shim (PL_CREATED) survives the cut only if
// the directory was fsynced after its creation (SQLite does so after creating the journal and the
// WAL); unlink and rename count as durable at once (they are not undone).
//
// Not modelled: torn or reordered unsynced writes (all of them are lost, the harshest and most
// common model), stdio (fopen/fwrite use libc-internal calls that an LD_PRELOAD cannot see),
// sync()/syncfs(), fallocate, sync_file_range (no durability guarantee: passed through, marks
// nothing). A writable shared mmap of a tracked file, or a tracked fd beyond the
// table, is logged as an error record, and the replay then refuses to run.
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "powerloss.h"

#define MAX_FDS 65536

struct tracked {
  char path[PATH_MAX];
  dev_t dev;
  ino_t ino;
  int sync_each_write;  // opened O_SYNC/O_DSYNC: every write is durable when it returns
};

static int (*real_open)(const char*, int, ...);
static int (*real_open64)(const char*, int, ...);
static int (*real_openat)(int, const char*, int, ...);
static int (*real_openat64)(int, const char*, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void*, size_t);
static ssize_t (*real_pwrite)(int, const void*, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void*, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec*, int);
static ssize_t (*real_pwritev)(int, const struct iovec*, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec*, int, off64_t);
static ssize_t (*real_pwritev2)(int, const struct iovec*, int, off_t, int);
static ssize_t (*real_pwritev64v2)(int, const struct iovec*, int, off64_t, int);
static ssize_t (*real_pread64)(int, void*, size_t, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static int (*real_fcntl)(int, int, ...);
static int (*real_fcntl64)(int, int, ...);
static int (*real_unlink)(const char*);
static int (*real_unlinkat)(int, const char*, int);
static int (*real_rename)(const char*, const char*);
static int (*real_renameat)(int, const char*, int, const char*);
static int (*real_renameat2)(int, const char*, int, const char*, unsigned);
static void* (*real_mmap)(void*, size_t, int, int, int, off_t);
static void* (*real_mmap64)(void*, size_t, int, int, int, off64_t);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int enabled;
static int ignore_fsync;
static char dir_arg[PATH_MAX];
static char dir_real[PATH_MAX];  // realpath of POWERLOSS_DIR once it exists, "" before
static int log_fd = -1;
static uint64_t next_seq = 1;
static _Atomic(struct tracked*) slots[MAX_FDS];

#define RESOLVE(name) real_##name = dlsym(RTLD_NEXT, #name)

static void die(const char* what) {
  char buf[600];
  int n = snprintf(buf, sizeof buf, "powerloss shim: %s (errno %d)\n", what, errno);
  if (real_write) real_write(2, buf, (size_t)n);
  abort();
}

// Appends one record; the caller holds `mu` (or is single-threaded in init). A failure to log
// would make the replay silently wrong, so it ends the process instead.
static void log_record(uint32_t type, uint64_t seq, int64_t offset, int64_t old_size, const char* path,
                       const char* path2, const void* old, uint64_t n_old) {
  struct pl_record h = {PL_MAGIC, type, seq, offset, old_size, n_old, 0, 0};
  h.path_len = path ? (uint32_t)strlen(path) : 0;
  h.path2_len = path2 ? (uint32_t)strlen(path2) : 0;
  size_t total = sizeof h + h.path_len + h.path2_len + n_old;
  char* buf = malloc(total);
  if (!buf) die("out of memory for an undo record");
  char* p = buf;
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  if (h.path_len) memcpy(p, path, h.path_len), p += h.path_len;
  if (h.path2_len) memcpy(p, path2, h.path2_len), p += h.path2_len;
  if (n_old) memcpy(p, old, n_old);
  size_t done = 0;
  while (done < total) {
    ssize_t w = real_write(log_fd, buf + done, total - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) die("cannot append to the undo log");
    done += (size_t)w;
  }
  free(buf);
}

static void log_error(const char* path, const char* what) {
  char msg[300];
  snprintf(msg, sizeof msg, "%s", what);
  log_record(PL_ERROR, next_seq++, 0, 0, path, msg, NULL, 0);
  char buf[PATH_MAX + 400];
  int n = snprintf(buf, sizeof buf, "powerloss shim: %s: %s\n", path ? path : "", what);
  real_write(2, buf, (size_t)n);
}

static void init(void) {
  RESOLVE(open); RESOLVE(open64); RESOLVE(openat); RESOLVE(openat64); RESOLVE(close);
  RESOLVE(write); RESOLVE(pwrite); RESOLVE(pwrite64); RESOLVE(writev); RESOLVE(pwritev);
  RESOLVE(pwritev64); RESOLVE(pwritev2); RESOLVE(pwritev64v2); RESOLVE(pread64);
  RESOLVE(ftruncate); RESOLVE(ftruncate64); RESOLVE(fsync); RESOLVE(fdatasync);
  RESOLVE(dup); RESOLVE(dup2); RESOLVE(dup3); RESOLVE(fcntl); RESOLVE(fcntl64); RESOLVE(unlink); RESOLVE(unlinkat);
  RESOLVE(rename); RESOLVE(renameat); RESOLVE(renameat2); RESOLVE(mmap); RESOLVE(mmap64);
  const char* dir = getenv("POWERLOSS_DIR");
  if (!dir || !*dir) return;
  if (dir[0] == '/') {
    snprintf(dir_arg, sizeof dir_arg, "%s", dir);
  } else {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) die("getcwd");
    if ((size_t)snprintf(dir_arg, sizeof dir_arg, "%.2047s/%.2047s", cwd, dir) >= sizeof dir_arg) die("POWERLOSS_DIR too long");
  }
  const char* ig = getenv("POWERLOSS_IGNORE_FSYNC");
  ignore_fsync = ig && strcmp(ig, "1") == 0;
  char log_path[PATH_MAX + 16];
  const char* lp = getenv("POWERLOSS_LOG");
  if (lp && *lp) snprintf(log_path, sizeof log_path, "%s", lp);
  else snprintf(log_path, sizeof log_path, "%s/../undo.log", dir_arg);
  // One process per log: the first one creates it; a child that inherited LD_PRELOAD (or a run
  // on a stale log) is left alone, loudly.
  log_fd = real_open(log_path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0 && errno == EEXIST) {
    char msg[PATH_MAX + 200];
    int m = snprintf(msg, sizeof msg, "powerloss shim: %s exists (another process owns it, or it is stale): pid %d is NOT tracked\n",
                     log_path, (int)getpid());
    real_write(2, msg, (size_t)m);
    return;
  }
  if (log_fd < 0) die("cannot create the undo log");
  log_record(PL_START, next_seq++, (int64_t)getpid(), 0, dir_arg, ignore_fsync ? "ignore-fsync" : "normal", NULL, 0);
  char buf[PATH_MAX * 2 + 100];
  int n = snprintf(buf, sizeof buf, "powerloss shim: tracking %s, undo log %s%s\n", dir_arg, log_path,
                   ignore_fsync ? ", fsync IGNORED" : "");
  real_write(2, buf, (size_t)n);
  enabled = 1;
}

static inline void ensure_init(void) { pthread_once(&once, init); }

__attribute__((constructor)) static void shim_constructor(void) { ensure_init(); }

// The realpath of POWERLOSS_DIR (the server may create the directory after the shim started);
// 0 while it does not exist.
static pthread_mutex_t dir_mu = PTHREAD_MUTEX_INITIALIZER;
static int tracked_dir(char out[PATH_MAX]) {
  pthread_mutex_lock(&dir_mu);
  if (!dir_real[0]) {
    char r[PATH_MAX];
    if (realpath(dir_arg, r)) memcpy(dir_real, r, sizeof r);
  }
  memcpy(out, dir_real, PATH_MAX);
  pthread_mutex_unlock(&dir_mu);
  return out[0] != 0;
}

// `path` lies strictly below directory `dir`.
static int below(const char* path, const char* dir) {
  size_t dl = strlen(dir);
  return strncmp(path, dir, dl) == 0 && path[dl] == '/' && path[dl + 1] != 0;
}

static int is_shm(const char* path) {
  size_t n = strlen(path);
  return n >= 4 && strcmp(path + n - 4, "-shm") == 0;
}

// The canonical path of `path` (relative to `dirfd`) if it lies below the tracked directory.
// For unlink/rename, before the call: the file must still exist to be resolved.
static int tracked_path(int dirfd, const char* path, char out[PATH_MAX]) {
  if (!enabled || !path) return 0;
  char joined[PATH_MAX * 2];
  if (path[0] == '/' || dirfd == AT_FDCWD) {
    snprintf(joined, sizeof joined, "%s", path);
  } else {
    char link[64], base[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(link, base, sizeof base - 1);
    if (n < 0) return 0;
    base[n] = 0;
    snprintf(joined, sizeof joined, "%s/%s", base, path);
  }
  // realpath of the directory part, so that a file that is being created can be resolved too.
  char* slash = strrchr(joined, '/');
  char dirpart[PATH_MAX * 2], resolved[PATH_MAX];
  const char* leaf;
  if (slash) {
    size_t len = (size_t)(slash - joined);
    memcpy(dirpart, joined, len);
    dirpart[len] = 0;
    if (len == 0) strcpy(dirpart, "/");
    leaf = slash + 1;
  } else {
    strcpy(dirpart, ".");
    leaf = joined;
  }
  if (!realpath(dirpart, resolved)) return 0;
  char dir[PATH_MAX];
  if (!tracked_dir(dir)) return 0;
  if (snprintf(out, PATH_MAX, "%s/%s", resolved, leaf) >= PATH_MAX) return 0;
  if (!below(out, dir) || is_shm(out)) return 0;
  return 1;
}

// After a successful open: the fd gets a slot when it is a tracked regular file.
static void after_open(int fd, int flags) {
  if (fd < 0 || !enabled) return;
  struct tracked* old = NULL;
  struct stat st;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  int track = 0;
  if (n > 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    path[n] = 0;
    char dir[PATH_MAX];
    track = tracked_dir(dir) && below(path, dir) && !is_shm(path);
  }
  pthread_mutex_lock(&mu);
  if (fd >= MAX_FDS) {
    if (track) log_error(path, "tracked file descriptor beyond the shim's table");
  } else {
    old = atomic_exchange(&slots[fd], NULL);
    if (track) {
      struct tracked* t = calloc(1, sizeof *t);
      if (!t) die("out of memory");
      memcpy(t->path, path, (size_t)n + 1);
      t->dev = st.st_dev;
      t->ino = st.st_ino;
      t->sync_each_write = (flags & (O_SYNC | O_DSYNC)) != 0;
      atomic_store(&slots[fd], t);
    }
  }
  pthread_mutex_unlock(&mu);
  free(old);
}

// The slot of `fd` if it is tracked and still the same file; caller holds `mu`. A slot whose
// fd was closed behind our back (libc-internal close) and reused for another file is dropped.
static struct tracked* slot_locked(int fd, struct stat* st) {
  if (fd < 0 || fd >= MAX_FDS) return NULL;
  struct tracked* t = atomic_load(&slots[fd]);
  if (!t) return NULL;
  if (fstat(fd, st) != 0 || st->st_dev != t->dev || st->st_ino != t->ino) {
    atomic_store(&slots[fd], NULL);
    free(t);
    return NULL;
  }
  return t;
}

static inline int maybe_tracked(int fd) {
  return fd >= 0 && fd < MAX_FDS && atomic_load_explicit(&slots[fd], memory_order_relaxed) != NULL;
}

// Reads the bytes [offset, offset+len) that a write is about to replace; holds `mu`.
static void record_undo_locked(int fd, struct tracked* t, const struct stat* st, int64_t offset, uint64_t len) {
  int64_t size = st->st_size;
  uint64_t n_old = 0;
  char* old = NULL;
  if (offset < size && len > 0) {
    n_old = (uint64_t)(size - offset) < len ? (uint64_t)(size - offset) : len;
    old = malloc(n_old ? n_old : 1);
    if (!old) die("out of memory for old bytes");
    int rfd = fd;
    ssize_t got = real_pread64(rfd, old, n_old, offset);
    if (got < 0 && errno == EBADF) {  // opened write-only
      rfd = real_open(t->path, O_RDONLY | O_CLOEXEC);
      got = rfd >= 0 ? real_pread64(rfd, old, n_old, offset) : -1;
      if (rfd >= 0) real_close(rfd);
    }
    if (got != (ssize_t)n_old) {
      log_error(t->path, "cannot read the bytes a write replaces");
      free(old);
      return;
    }
  }
  log_record(PL_UNDO, next_seq++, offset, size, t->path, NULL, old, n_old);
  free(old);
}

static uint64_t iov_len(const struct iovec* iov, int cnt) {
  uint64_t n = 0;
  for (int i = 0; i < cnt; i++) n += iov[i].iov_len;
  return n;
}

// The common path of every write: offset -1 means "at the file position" (write, writev).
#define WRAP_WRITE(call, fd, offset, len)                                              \
  do {                                                                                 \
    ensure_init();                                                                     \
    if (!maybe_tracked(fd)) return call;                                               \
    pthread_mutex_lock(&mu);                                                           \
    struct stat st_;                                                                   \
    struct tracked* t_ = slot_locked(fd, &st_);                                        \
    if (!t_) {                                                                         \
      pthread_mutex_unlock(&mu);                                                       \
      return call;                                                                     \
    }                                                                                  \
    int64_t off_ = (offset);                                                           \
    if (off_ < 0) {                                                                    \
      int fl_ = real_fcntl(fd, F_GETFL);                                                   \
      off_ = (fl_ >= 0 && (fl_ & O_APPEND)) ? st_.st_size : lseek(fd, 0, SEEK_CUR);    \
    }                                                                                  \
    record_undo_locked(fd, t_, &st_, off_, (len));                                     \
    __typeof__(call) r_ = call;                                                        \
    int e_ = errno;                                                                    \
    if (r_ >= 0 && t_->sync_each_write) {                                              \
      log_record(PL_SYNCED, next_seq, (int64_t)next_seq, 0, t_->path, NULL, NULL, 0);  \
      next_seq++;                                                                      \
    }                                                                                  \
    pthread_mutex_unlock(&mu);                                                         \
    errno = e_;                                                                        \
    return r_;                                                                         \
  } while (0)

ssize_t write(int fd, const void* buf, size_t n) { WRAP_WRITE(real_write(fd, buf, n), fd, -1, n); }
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) { WRAP_WRITE(real_pwrite(fd, buf, n, off), fd, off, n); }
ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  WRAP_WRITE(real_pwrite64(fd, buf, n, off), fd, off, n);
}
ssize_t writev(int fd, const struct iovec* iov, int cnt) { WRAP_WRITE(real_writev(fd, iov, cnt), fd, -1, iov_len(iov, cnt)); }
ssize_t pwritev(int fd, const struct iovec* iov, int cnt, off_t off) {
  WRAP_WRITE(real_pwritev(fd, iov, cnt, off), fd, off, iov_len(iov, cnt));
}
ssize_t pwritev64(int fd, const struct iovec* iov, int cnt, off64_t off) {
  WRAP_WRITE(real_pwritev64(fd, iov, cnt, off), fd, off, iov_len(iov, cnt));
}
ssize_t pwritev2(int fd, const struct iovec* iov, int cnt, off_t off, int flags) {
  WRAP_WRITE(real_pwritev2(fd, iov, cnt, off, flags), fd, off, iov_len(iov, cnt));
}
ssize_t pwritev64v2(int fd, const struct iovec* iov, int cnt, off64_t off, int flags) {
  WRAP_WRITE(real_pwritev64v2(fd, iov, cnt, off, flags), fd, off, iov_len(iov, cnt));
}

// A truncate is undone like a write: the bytes it cuts off (when shrinking) go back at
// `length`, then the old size is restored.
#define WRAP_TRUNCATE(call, fd, length)                                                \
  do {                                                                                 \
    ensure_init();                                                                     \
    if (!maybe_tracked(fd)) return call;                                               \
    pthread_mutex_lock(&mu);                                                           \
    struct stat st_;                                                                   \
    struct tracked* t_ = slot_locked(fd, &st_);                                        \
    if (!t_) {                                                                         \
      pthread_mutex_unlock(&mu);                                                       \
      return call;                                                                     \
    }                                                                                  \
    int64_t len_ = (length);                                                           \
    if (len_ >= 0) record_undo_locked(fd, t_, &st_, len_, len_ < st_.st_size ? (uint64_t)(st_.st_size - len_) : 0); \
    int r_ = call;                                                                     \
    int e_ = errno;                                                                    \
    pthread_mutex_unlock(&mu);                                                         \
    errno = e_;                                                                        \
    return r_;                                                                         \
  } while (0)

int ftruncate(int fd, off_t length) { WRAP_TRUNCATE(real_ftruncate(fd, length), fd, length); }
int ftruncate64(int fd, off64_t length) { WRAP_TRUNCATE(real_ftruncate64(fd, length), fd, length); }

// fsync/fdatasync of a tracked file. The real call runs outside the mutex (other threads keep
// writing meanwhile, and what they write after the sync began is not covered by it), so the
// marker names the record counter taken *before* the call: records of the file below it are
// durable. fdatasync counts as fsync (the size, needed to read the data back, is synced too).
static int sync_dir(int fd, int (*real)(int));
static int sync_tracked(int fd, int (*real)(int)) {
  if (!maybe_tracked(fd)) return sync_dir(fd, real);
  pthread_mutex_lock(&mu);
  struct stat st;
  struct tracked* t = slot_locked(fd, &st);
  char path[PATH_MAX];
  uint64_t before = next_seq;
  if (t) memcpy(path, t->path, sizeof path);
  pthread_mutex_unlock(&mu);
  if (!t) return real(fd);
  if (ignore_fsync) return 0;  // the control case: nothing ever becomes durable
  int r = real(fd);
  if (r != 0) return r;
  int e = errno;
  pthread_mutex_lock(&mu);
  log_record(PL_SYNCED, next_seq++, (int64_t)before, 0, path, NULL, NULL, 0);
  pthread_mutex_unlock(&mu);
  errno = e;
  return r;
}

// fsync/fdatasync of the tracked directory itself makes the creations before it durable.
static int sync_dir(int fd, int (*real)(int)) {
  struct stat st;
  char dir[PATH_MAX], link[64], path[PATH_MAX];
  if (!enabled || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || !tracked_dir(dir)) return real(fd);
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return real(fd);
  path[n] = 0;
  if (strcmp(path, dir) != 0) return real(fd);
  pthread_mutex_lock(&mu);
  uint64_t before = next_seq;
  pthread_mutex_unlock(&mu);
  if (ignore_fsync) return 0;
  int r = real(fd);
  if (r != 0) return r;
  int e = errno;
  pthread_mutex_lock(&mu);
  log_record(PL_DIRSYNCED, next_seq++, (int64_t)before, 0, dir, NULL, NULL, 0);
  pthread_mutex_unlock(&mu);
  errno = e;
  return r;
}

int fsync(int fd) {
  ensure_init();
  return sync_tracked(fd, real_fsync);
}
int fdatasync(int fd) {
  ensure_init();
  return sync_tracked(fd, real_fdatasync);
}

int close(int fd) {
  ensure_init();
  if (maybe_tracked(fd)) {
    pthread_mutex_lock(&mu);
    struct tracked* t = atomic_exchange(&slots[fd], NULL);
    pthread_mutex_unlock(&mu);
    free(t);
  }
  return real_close(fd);
}

static int open_mode_needed(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

// Before an open: O_TRUNC of an existing tracked file is recorded as a truncate to 0, and the
// creation of a tracked file that does not exist yet as PL_CREATED (before the real call, so that
// a kill right after it still leaves the record).
static void before_open(int dirfd, const char* path, int flags) {
  if (!enabled || !(flags & (O_TRUNC | O_CREAT))) return;
  char p[PATH_MAX];
  if (!tracked_path(dirfd, path, p)) return;
  struct stat st;
  if ((flags & O_CREAT) && lstat(p, &st) != 0 && errno == ENOENT) {
    pthread_mutex_lock(&mu);
    log_record(PL_CREATED, next_seq++, 0, 0, p, NULL, NULL, 0);
    pthread_mutex_unlock(&mu);
    return;
  }
  if (!(flags & O_TRUNC) || (flags & O_ACCMODE) == O_RDONLY) return;
  int fd = real_open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    struct tracked t;
    memset(&t, 0, sizeof t);
    memcpy(t.path, p, sizeof t.path);
    pthread_mutex_lock(&mu);
    record_undo_locked(fd, &t, &st, 0, (uint64_t)st.st_size);
    pthread_mutex_unlock(&mu);
  }
  real_close(fd);
}

#define OPEN_BODY(realcall, dirfd)                 \
  ensure_init();                                   \
  mode_t mode = 0;                                 \
  if (open_mode_needed(flags)) {                   \
    va_list ap;                                    \
    va_start(ap, flags);                           \
    mode = va_arg(ap, mode_t);                     \
    va_end(ap);                                    \
  }                                                \
  before_open(dirfd, path, flags);                 \
  int fd = realcall;                               \
  int e = errno;                                   \
  after_open(fd, flags);                           \
  errno = e;                                       \
  return fd;

int open(const char* path, int flags, ...) { OPEN_BODY(real_open(path, flags, mode), AT_FDCWD) }
int open64(const char* path, int flags, ...) { OPEN_BODY(real_open64(path, flags, mode), AT_FDCWD) }
int openat(int dirfd, const char* path, int flags, ...) { OPEN_BODY(real_openat(dirfd, path, flags, mode), dirfd) }
int openat64(int dirfd, const char* path, int flags, ...) { OPEN_BODY(real_openat64(dirfd, path, flags, mode), dirfd) }
int creat(const char* path, mode_t mode) {
  int flags = O_CREAT | O_WRONLY | O_TRUNC;
  ensure_init();
  before_open(AT_FDCWD, path, flags);
  int fd = real_open(path, flags, mode);
  int e = errno;
  after_open(fd, flags);
  errno = e;
  return fd;
}
int creat64(const char* path, mode_t mode) { return creat(path, mode); }

static void after_dup(int oldfd, int newfd) {
  if (newfd < 0 || !enabled) return;
  pthread_mutex_lock(&mu);
  struct tracked* copy = NULL;
  struct tracked* src = (oldfd >= 0 && oldfd < MAX_FDS) ? atomic_load(&slots[oldfd]) : NULL;
  if (src) {
    copy = malloc(sizeof *copy);
    if (!copy) die("out of memory");
    memcpy(copy, src, sizeof *copy);
  }
  struct tracked* old = NULL;
  if (newfd < MAX_FDS) old = atomic_exchange(&slots[newfd], copy);
  else if (copy) log_error(copy->path, "dup'ed file descriptor beyond the shim's table"), free(copy);
  pthread_mutex_unlock(&mu);
  free(old);
}

int dup(int fd) {
  ensure_init();
  int r = real_dup(fd);
  int e = errno;
  after_dup(fd, r);
  errno = e;
  return r;
}
int dup2(int fd, int fd2) {
  ensure_init();
  int r = real_dup2(fd, fd2);
  int e = errno;
  if (r >= 0 && fd != fd2) after_dup(fd, r);
  errno = e;
  return r;
}
int dup3(int fd, int fd2, int flags) {
  ensure_init();
  int r = real_dup3(fd, fd2, flags);
  int e = errno;
  after_dup(fd, r);
  errno = e;
  return r;
}

// fcntl(F_DUPFD...) duplicates too (Python's os.dup uses it; SQLite only locks with fcntl). Every
// fcntl argument is an int, a long or a pointer, passed the same way: glibc reads it as void*.
#define FCNTL_BODY(realfn)                                  \
  ensure_init();                                            \
  va_list ap;                                               \
  va_start(ap, cmd);                                        \
  void* arg = va_arg(ap, void*);                            \
  va_end(ap);                                               \
  int r = realfn(fd, cmd, arg);                             \
  if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) { \
    int e = errno;                                          \
    after_dup(fd, r);                                       \
    errno = e;                                              \
  }                                                         \
  return r;

int fcntl(int fd, int cmd, ...) { FCNTL_BODY(real_fcntl) }
int fcntl64(int fd, int cmd, ...) { FCNTL_BODY(real_fcntl64) }

// unlink/rename: the directory change is durable at once (see the top); the marker follows the
// real call, under the mutex, so a kill in between leaves records for a file that is gone
// (the replay skips missing files) rather than forgetting records of a file that still exists.
int unlinkat(int dirfd, const char* path, int flags) {
  ensure_init();
  char p[PATH_MAX];
  if (!(flags & AT_REMOVEDIR) && tracked_path(dirfd, path, p)) {
    pthread_mutex_lock(&mu);
    int r = real_unlinkat(dirfd, path, flags);
    int e = errno;
    if (r == 0) log_record(PL_UNLINKED, next_seq++, 0, 0, p, NULL, NULL, 0);
    pthread_mutex_unlock(&mu);
    errno = e;
    return r;
  }
  return real_unlinkat(dirfd, path, flags);
}
int unlink(const char* path) {
  ensure_init();
  char p[PATH_MAX];
  if (tracked_path(AT_FDCWD, path, p)) {
    pthread_mutex_lock(&mu);
    int r = real_unlink(path);
    int e = errno;
    if (r == 0) log_record(PL_UNLINKED, next_seq++, 0, 0, p, NULL, NULL, 0);
    pthread_mutex_unlock(&mu);
    errno = e;
    return r;
  }
  return real_unlink(path);
}

static int rename_common(int olddirfd, const char* oldpath, int newdirfd, const char* newpath,
                         int (*call)(void*), void* arg) {
  char a[PATH_MAX], b[PATH_MAX];
  int ta = tracked_path(olddirfd, oldpath, a);
  int tb = tracked_path(newdirfd, newpath, b);
  if (!ta && !tb) return call(arg);
  pthread_mutex_lock(&mu);
  int r = call(arg);
  int e = errno;
  if (r == 0) {
    if (ta && tb) log_record(PL_RENAMED, next_seq++, 0, 0, a, b, NULL, 0);
    else if (ta) log_record(PL_UNLINKED, next_seq++, 0, 0, a, NULL, NULL, 0);  // moved out of sight
    else log_error(b, "a file was renamed into the tracked directory; its history is unknown");
  }
  pthread_mutex_unlock(&mu);
  errno = e;
  return r;
}

struct rename_args {
  int olddirfd;
  const char* oldpath;
  int newdirfd;
  const char* newpath;
  unsigned flags;
  int kind;
};
static int rename_call(void* p) {
  struct rename_args* a = p;
  if (a->kind == 0) return real_rename(a->oldpath, a->newpath);
  if (a->kind == 1) return real_renameat(a->olddirfd, a->oldpath, a->newdirfd, a->newpath);
  return real_renameat2(a->olddirfd, a->oldpath, a->newdirfd, a->newpath, a->flags);
}
int rename(const char* oldpath, const char* newpath) {
  ensure_init();
  struct rename_args a = {AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0};
  return rename_common(AT_FDCWD, oldpath, AT_FDCWD, newpath, rename_call, &a);
}
int renameat(int olddirfd, const char* oldpath, int newdirfd, const char* newpath) {
  ensure_init();
  struct rename_args a = {olddirfd, oldpath, newdirfd, newpath, 0, 1};
  return rename_common(olddirfd, oldpath, newdirfd, newpath, rename_call, &a);
}
int renameat2(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, unsigned flags) {
  ensure_init();
  struct rename_args a = {olddirfd, oldpath, newdirfd, newpath, flags, 2};
  return rename_common(olddirfd, oldpath, newdirfd, newpath, rename_call, &a);
}

// A writable shared mapping of a tracked file changes it without any write call: not modelled.
static void check_mmap(int prot, int flags, int fd) {
  if (fd < 0 || !(prot & PROT_WRITE) || !(flags & MAP_SHARED) || !maybe_tracked(fd)) return;
  pthread_mutex_lock(&mu);
  struct stat st;
  struct tracked* t = slot_locked(fd, &st);
  if (t) log_error(t->path, "writable shared mmap of a tracked file (writes through it are not seen)");
  pthread_mutex_unlock(&mu);
}
void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  ensure_init();
  check_mmap(prot, flags, fd);
  return real_mmap(addr, len, prot, flags, fd, off);
}
void* mmap64(void* addr, size_t len, int prot, int flags, int fd, off64_t off) {
  ensure_init();
  check_mmap(prot, flags, fd);
  return real_mmap64(addr, len, prot, flags, fd, off);
}
