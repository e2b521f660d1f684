// The power cut itself: after a process that ran under powerloss_shim.so was SIGKILLed, puts
// every tracked file back to what it was at its last completed fsync, and deletes the *-shm
// files of the directory (SQLite's shared-memory WAL index, rebuilt from the WAL on recovery;
// after a real power cut it would hold garbage or nothing).
//
//   cc -O1 -o powerloss_undo powerloss_undo.c
//   powerloss_undo DIR UNDO_LOG       prints one JSON line: what was thrown away
//
// The log is read front to back (see powerloss.h): undo records of a file are pending until a
// "synced" marker covers them (seq below the marker's), an unlink forgets them, a rename moves
// them to the new name. A file created under the shim whose creation no directory sync covered
// is deleted. Then the pending records of each other file are replayed newest first: the old
// bytes go back at their offset and the file is cut to its size before that write. A record cut
// short at the end of the log belongs to a write that never started and is ignored. An error
// record (something the shim could not model) makes this exit 2 without touching anything.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "powerloss.h"

struct rec {
  struct pl_record h;  // a copy: records are not aligned in the log
  const char* path;
  const char* path2;
  const unsigned char* old;
  int file;  // index into files[]
  int live;  // pending: not covered by a sync
};

struct file {
  char* path;
  int* recs;  // indexes into recs[], in log order
  size_t n, cap;
  size_t synced;  // recs[0..synced) are covered by a sync (seqs grow along the list)
  size_t undone;
  uint64_t bytes_restored;
  int64_t size_before, size_after;
  int missing;
  int created;        // created under the shim (PL_CREATED) ...
  uint64_t created_seq;
  int entry_durable;  // ... and a directory sync covered it
  int deleted;        // the cut removed it
};

static struct rec* recs;
static size_t n_recs;
static struct file* files;
static size_t n_files;

static int file_id(const char* path, size_t len) {
  for (size_t i = 0; i < n_files; i++)
    if (strlen(files[i].path) == len && memcmp(files[i].path, path, len) == 0) return (int)i;
  files = realloc(files, (n_files + 1) * sizeof *files);
  memset(&files[n_files], 0, sizeof *files);
  files[n_files].path = strndup(path, len);
  return (int)n_files++;
}

static void push(int f, int r) {
  struct file* F = &files[f];
  if (F->n == F->cap) {
    F->cap = F->cap ? F->cap * 2 : 64;
    F->recs = realloc(F->recs, F->cap * sizeof *F->recs);
  }
  F->recs[F->n++] = r;
}

static void json_str(const char* s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') putchar('\\');
    if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
    else putchar(*s);
  }
  putchar('"');
}

static int die(const char* what, const char* path) {
  fprintf(stderr, "powerloss_undo: %s%s%s: %s\n", what, path ? " " : "", path ? path : "", strerror(errno));
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DIR UNDO_LOG\n", argv[0]);
    return 64;
  }
  const char* dir = argv[1];
  int lfd = open(argv[2], O_RDONLY | O_CLOEXEC);
  if (lfd < 0) return die("cannot open", argv[2]);
  struct stat st;
  if (fstat(lfd, &st) != 0) return die("cannot stat", argv[2]);
  size_t size = (size_t)st.st_size;
  unsigned char* buf = malloc(size ? size : 1);
  size_t got = 0;
  while (got < size) {
    ssize_t r = read(lfd, buf + got, size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return die("cannot read", argv[2]);
    got += (size_t)r;
  }
  close(lfd);

  // Parse.
  size_t pos = 0, cap = 0;
  int torn_tail = 0;
  const char* mode = "?";
  long long pid = 0;
  size_t n_undo = 0, n_sync = 0, n_unlink = 0, n_rename = 0, n_error = 0, n_created = 0, n_dirsync = 0;
  while (pos < size) {
    if (size - pos < sizeof(struct pl_record)) {
      torn_tail = 1;
      break;
    }
    struct pl_record copy;
    memcpy(&copy, buf + pos, sizeof copy);
    const struct pl_record* h = &copy;
    if (h->magic != PL_MAGIC) {
      fprintf(stderr, "powerloss_undo: bad record at byte %zu of %s\n", pos, argv[2]);
      return 1;
    }
    uint64_t len = sizeof *h + (uint64_t)h->path_len + h->path2_len + h->n_old;
    if (len > size - pos) {
      torn_tail = 1;
      break;
    }
    if (n_recs == cap) {
      cap = cap ? cap * 2 : 1024;
      recs = realloc(recs, cap * sizeof *recs);
    }
    struct rec* r = &recs[n_recs];
    r->h = copy;
    r->path = (const char*)(buf + pos + sizeof *h);
    r->path2 = r->path + h->path_len;
    r->old = (const unsigned char*)(r->path2 + h->path2_len);
    r->file = -1;
    r->live = 0;
    pos += len;
    int idx = (int)n_recs++;
    switch (h->type) {
      case PL_START:
        mode = strndup(r->path2, h->path2_len);
        pid = (long long)h->offset;
        break;
      case PL_UNDO:
        n_undo++;
        r->file = file_id(r->path, h->path_len);
        r->live = 1;
        push(r->file, idx);
        break;
      case PL_CREATED: {
        n_created++;
        int f = file_id(r->path, h->path_len);  // may move files[]
        struct file* F = &files[f];
        F->created = 1;
        F->created_seq = h->seq;
        F->entry_durable = 0;
        break;
      }
      case PL_DIRSYNCED:
        n_dirsync++;
        for (size_t i = 0; i < n_files; i++)
          if (files[i].created && files[i].created_seq < (uint64_t)h->offset) files[i].entry_durable = 1;
        break;
      case PL_SYNCED: {
        n_sync++;
        int f = file_id(r->path, h->path_len);  // may move files[]
        struct file* F = &files[f];
        while (F->synced < F->n && recs[F->recs[F->synced]].h.seq < (uint64_t)h->offset)
          recs[F->recs[F->synced++]].live = 0;
        break;
      }
      case PL_UNLINKED: {
        n_unlink++;
        int f = file_id(r->path, h->path_len);  // may move files[]
        struct file* F = &files[f];
        for (size_t i = 0; i < F->n; i++) recs[F->recs[i]].live = 0;
        F->n = F->synced = 0;
        F->created = 0;
        break;
      }
      case PL_RENAMED: {
        n_rename++;
        int a = file_id(r->path, h->path_len);
        int b = file_id(r->path2, h->path2_len);
        if (a == b) break;
        for (size_t i = 0; i < files[b].n; i++) recs[files[b].recs[i]].live = 0;
        files[b].n = files[b].synced = 0;
        for (size_t i = files[a].synced; i < files[a].n; i++) {
          recs[files[a].recs[i]].file = b;
          push(b, files[a].recs[i]);
        }
        files[a].n = files[a].synced = 0;
        files[b].created = files[a].created;
        files[b].created_seq = files[a].created_seq;
        files[b].entry_durable = files[a].entry_durable;
        files[a].created = 0;
        break;
      }
      case PL_ERROR:
        n_error++;
        fprintf(stderr, "powerloss_undo: the shim could not model: %.*s: %.*s\n", (int)h->path_len, r->path,
                (int)h->path2_len, r->path2);
        break;
      default:
        fprintf(stderr, "powerloss_undo: unknown record type %u\n", h->type);
        return 1;
    }
  }
  if (n_error) {
    fprintf(stderr, "powerloss_undo: %zu error record(s); nothing undone\n", n_error);
    return 2;
  }

  // Replay the pending records of each file, newest first.
  size_t undone = 0;
  for (size_t f = 0; f < n_files; f++) {
    struct file* F = &files[f];
    int fd = open(F->path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      if (errno != ENOENT) return die("cannot open", F->path);
      F->missing = 1;
      continue;
    }
    if (fstat(fd, &st) != 0) return die("cannot stat", F->path);
    F->size_before = st.st_size;
    if (F->created && !F->entry_durable) {  // its directory entry never reached the disk
      close(fd);
      if (unlink(F->path) != 0) return die("cannot delete", F->path);
      F->deleted = 1;
      for (size_t i = 0; i < F->n; i++) undone += recs[F->recs[i]].live;
      continue;
    }
    for (size_t i = F->n; i-- > 0;) {
      struct rec* r = &recs[F->recs[i]];
      if (!r->live) continue;
      size_t done = 0;
      while (done < r->h.n_old) {
        ssize_t w = pwrite(fd, r->old + done, r->h.n_old - done, r->h.offset + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return die("cannot restore old bytes of", F->path);
        done += (size_t)w;
      }
      if (ftruncate(fd, r->h.old_size) != 0) return die("cannot truncate", F->path);
      F->bytes_restored += r->h.n_old;
      F->undone++;
      undone++;
    }
    if (fsync(fd) != 0) return die("cannot fsync", F->path);
    if (fstat(fd, &st) != 0) return die("cannot stat", F->path);
    F->size_after = st.st_size;
    close(fd);
  }

  // The shared-memory index does not survive a power cut.
  printf("{\"mode\":");
  json_str(mode);
  printf(",\"pid\":%lld,\"records\":%zu,\"writes\":%zu,\"syncs\":%zu,\"creates\":%zu,\"dir_syncs\":%zu,"
         "\"unlinks\":%zu,\"renames\":%zu,\"torn_tail\":%s,\"undone\":%zu,\"files\":[",
         pid, n_recs, n_undo, n_sync, n_created, n_dirsync, n_unlink, n_rename, torn_tail ? "true" : "false", undone);
  int first = 1;
  for (size_t f = 0; f < n_files; f++) {
    struct file* F = &files[f];
    if (!first) putchar(',');
    first = 0;
    printf("{\"path\":");
    json_str(F->path);
    if (F->missing) printf(",\"missing\":true}");
    else if (F->deleted) printf(",\"deleted\":true,\"size_before\":%lld}", (long long)F->size_before);
    else
      printf(",\"undone\":%zu,\"bytes_restored\":%llu,\"size_before\":%lld,\"size_after\":%lld}", F->undone,
             (unsigned long long)F->bytes_restored, (long long)F->size_before, (long long)F->size_after);
  }
  printf("],\"shm_deleted\":[");
  DIR* d = opendir(dir);
  if (!d) return die("cannot open directory", dir);
  first = 1;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n < 4 || strcmp(e->d_name + n - 4, "-shm") != 0) continue;
    char p[8192];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (unlink(p) != 0) return die("cannot delete", p);
    if (!first) putchar(',');
    first = 0;
    json_str(e->d_name);
  }
  closedir(d);
  printf("]}\n");
  return 0;
}
