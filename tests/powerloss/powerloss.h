// The undo log shared by powerloss_shim.c (writes it) and powerloss_undo.c (replays it).
//
// A sequence of records, each a header followed by path, path2 and `n_old` old bytes. Records are
// appended with one write() each, in the order the file system saw the operations; a record that
// was cut short by the kill is ignored (its operation had not started).
#ifndef POWERLOSS_H
#define POWERLOSS_H

#include <stdint.h>

#define PL_MAGIC 0x504c5752u  // "RWLP"

enum {
  // Before a write or truncate of `path`: undoing it means writing `n_old` old bytes back at
  // `offset`, then truncating the file to `old_size` (its size before the operation).
  PL_UNDO = 'W',
  // After fsync/fdatasync of `path` returned 0: every record of `path` with seq < `offset` (the
  // counter read before the sync began) is durable.
  PL_SYNCED = 'S',
  // After unlink(`path`): its earlier records no longer apply to anything.
  PL_UNLINKED = 'U',
  // After rename(`path`, `path2`): the records of `path` now belong to `path2`.
  PL_RENAMED = 'R',
  // Before open(O_CREAT) of `path`, which did not exist: its directory entry is not durable
  // until a PL_DIRSYNCED covers it (seq below the marker's `offset`); if none does, the power
  // cut removes the file.
  PL_CREATED = 'C',
  // After fsync/fdatasync of the tracked directory returned 0: every creation with seq below
  // `offset` (the counter read before the sync began) is durable.
  PL_DIRSYNCED = 'D',
  // Something the shim could not model (path2 says what): the replay must refuse to pretend.
  PL_ERROR = 'E',
  // First record of a log: the shim's settings (path = tracked directory, path2 = mode,
  // offset = pid of the tracked process).
  PL_START = 'H',
};

struct pl_record {
  uint32_t magic;
  uint32_t type;
  uint64_t seq;       // a counter over all records of one process
  int64_t offset;     // PL_UNDO: where the old bytes go
  int64_t old_size;   // PL_UNDO: the file's size before the operation
  uint64_t n_old;     // PL_UNDO: number of old bytes following the paths
  uint32_t path_len;  // bytes of path (no terminating NUL)
  uint32_t path2_len;
};

#endif
