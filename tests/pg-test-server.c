/* pg-test-server.c: a private PostgreSQL server for one test process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "pg-test-server.h"

#define START_TIMEOUT_US (30 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_US  (30 * G_USEC_PER_SEC)
#define LOG_TAIL_BYTES   2000

struct _PgTestServer
{
  char  *dir;
  char  *data_dir;
  char  *log_path;
  char  *escaped_dir;
  guint  port;
  GPid   pid;
  guint  n_databases;
  char  *locale;     /* NULL: initdb --no-locale */
};

/* What the child needs between fork and exec; filled in before the fork,
 * because only async-signal-safe calls are allowed there. */
typedef struct
{
  gboolean    drop_root;
  uid_t       uid;
  gid_t       gid;
  pid_t       parent;
  const char *log_path;   /* NULL: keep the pipes GLib set up */
} ChildSetup;

static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;

  /* SIGTERM is a smart shutdown: the server ends as soon as the dead test's
   * connections are gone. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != setup->parent)
    _exit (127);

  if (setup->log_path != NULL)
    {
      int fd = open (setup->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

      if (fd < 0 || dup2 (fd, STDOUT_FILENO) < 0 || dup2 (fd, STDERR_FILENO) < 0)
        _exit (127);
    }

  if (setup->drop_root)
    {
      if (setgroups (0, NULL) != 0 || setgid (setup->gid) != 0 || setuid (setup->uid) != 0)
        _exit (127);
      /* setuid clears the parent-death signal */
      prctl (PR_SET_PDEATHSIG, SIGTERM);
      if (getppid () != setup->parent)
        _exit (127);
    }
}

static gboolean
fill_child_setup (ChildSetup  *setup,
                  GError     **error)
{
  *setup = (ChildSetup) { .parent = getpid () };

  if (geteuid () != 0)
    return TRUE;

  {
    struct passwd *pw = getpwnam ("postgres");

    if (pw == NULL)
      {
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             "The tests run as root, and PostgreSQL refuses to: "
                             "a “postgres” system user is needed to run the test server.");
        return FALSE;
      }
    setup->drop_root = TRUE;
    setup->uid = pw->pw_uid;
    setup->gid = pw->pw_gid;
  }
  return TRUE;
}

static int
version_of_dir (const char *name)
{
  return (int)g_ascii_strtoll (name, NULL, 10);
}

/* The newest /usr/lib/postgresql/N/bin, else what `pg_config --bindir` says. */
static char *
find_bin_dir (GError **error)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  g_autofree char *best = NULL;
  int best_version = -1;
  g_autofree char *out = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bin = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *postgres = g_build_filename (bin, "postgres", NULL);
      g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);

      if (version_of_dir (name) > best_version &&
          g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE) &&
          g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        {
          best_version = version_of_dir (name);
          g_free (best);
          best = g_steal_pointer (&bin);
        }
    }
  if (best != NULL)
    return g_steal_pointer (&best);

  if (g_spawn_command_line_sync ("pg_config --bindir", &out, NULL, NULL, NULL))
    {
      g_autofree char *postgres = NULL;

      g_strstrip (out);
      postgres = g_build_filename (out, "postgres", NULL);
      if (g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&out);
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "No PostgreSQL server programs found (neither in /usr/lib/postgresql/*/bin "
                       "nor where `pg_config --bindir` points); install the “postgresql” package.");
  return NULL;
}

/* A TCP port nobody listens on just now. The server only uses it to name its
 * socket in our own directory, so a later clash on 127.0.0.1 cannot hurt. */
static guint
pick_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t len = sizeof addr;
  guint port = 0;
  int fd;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 &&
      bind (fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *)&addr, &len) == 0)
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);
  if (port == 0)
    port = 20000 + g_random_int_range (0, 20000);
  return port;
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Where servers keep their files. Creating a database writes some
 * hundred files, which takes ten times as long on a disk as in memory: so
 * in /dev/shm when it is there with room to spare, else in the temporary
 * directory. OMNISTOCK_PG_TEST_DIR names another place. */
#define SHM_DIR          "/dev/shm"
#define SHM_MIN_FREE     ((guint64)1 << 30)

static const char *
servers_parent_dir (void)
{
  const char *chosen = g_getenv ("OMNISTOCK_PG_TEST_DIR");
  struct statvfs fs;

  if (chosen != NULL && *chosen != '\0')
    return chosen;
  if (g_file_test (SHM_DIR, G_FILE_TEST_IS_DIR) && access (SHM_DIR, W_OK | X_OK) == 0 &&
      statvfs (SHM_DIR, &fs) == 0 && (guint64)fs.f_bavail * fs.f_frsize >= SHM_MIN_FREE)
    return SHM_DIR;
  return g_get_tmp_dir ();
}

/* A test that crashed left its directory behind (its server went with it).
 * Each directory names its owner in owner.pid; remove those whose owner is
 * gone and whose server left no postmaster.pid. */
static void
sweep_stale_dirs (const char *parent)
{
  g_autoptr(GDir) tmp = g_dir_open (parent, 0, NULL);
  const char *name;

  while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
    {
      g_autofree char *dir = NULL;
      g_autofree char *owner_file = NULL;
      g_autofree char *postmaster_pid = NULL;
      g_autofree char *contents = NULL;
      gint64 owner;

      if (!g_str_has_prefix (name, "omni-pg-"))
        continue;
      dir = g_build_filename (parent, name, NULL);
      owner_file = g_build_filename (dir, "owner.pid", NULL);
      postmaster_pid = g_build_filename (dir, "data", "postmaster.pid", NULL);
      if (!g_file_get_contents (owner_file, &contents, NULL, NULL))
        continue;
      owner = g_ascii_strtoll (contents, NULL, 10);
      if (owner <= 0 || (kill ((pid_t)owner, 0) == 0 || errno != ESRCH))
        continue;
      if (g_file_test (postmaster_pid, G_FILE_TEST_EXISTS))
        continue;
      remove_tree (dir);
    }
}

static char *
log_tail (PgTestServer *server)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (server->log_path, &contents, &length, NULL) || length == 0)
    return g_strdup ("(the server wrote no log)");
  if (length > LOG_TAIL_BYTES)
    return g_strdup (contents + length - LOG_TAIL_BYTES);
  return g_steal_pointer (&contents);
}

static void
server_free (PgTestServer *server)
{
  if (server->dir != NULL)
    remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->data_dir);
  g_free (server->log_path);
  g_free (server->escaped_dir);
  g_free (server->locale);
  g_free (server);
}

static gboolean
run_initdb (const char    *bin_dir,
            const char    *data_dir,
            const char    *cwd,
            const char    *locale_name,
            ChildSetup    *setup,
            GError       **error)
{
  g_autofree char *initdb = g_build_filename (bin_dir, "initdb", NULL);
  g_autofree char *locale = locale_name != NULL
                            ? g_strconcat ("--locale=", locale_name, NULL)
                            : g_strdup ("--no-locale");
  const char *argv[] = {
    initdb, "-D", data_dir, "-A", "trust", "-U", "omnistock", "-E", "UTF8",
    locale, "--no-sync", NULL,
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local_error = NULL;
  int status = 0;

  setup->log_path = NULL;
  if (!g_spawn_sync (cwd, (char **)argv, NULL, G_SPAWN_DEFAULT,
                     child_setup, setup, &out, &err, &status, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not run %s: %s", initdb, local_error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "initdb failed (%s):\n%s%s", local_error->message, out, err);
      return FALSE;
    }
  return TRUE;
}

/* Runs @argv (a program of the postgres user's: initdb --version, cp) with
 * the same identity as the server and returns its standard output. */
static char *
run_as_server_user (const char * const  *argv,
                    const char          *cwd,
                    ChildSetup          *setup,
                    GError             **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local_error = NULL;
  int status = 0;

  setup->log_path = NULL;
  if (!g_spawn_sync (cwd, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
                     child_setup, setup, &out, &err, &status, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not run %s: %s", argv[0], local_error->message);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s failed (%s):\n%s", argv[0], local_error->message, err);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
hand_to_server_user (const char  *path,
                     ChildSetup  *setup,
                     GError     **error)
{
  if (setup->drop_root && chown (path, setup->uid, setup->gid) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not hand %s to the postgres user: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Where initialised data directories are kept between test processes: the
 * build's test directory, else the temporary directory. */
static char *
cache_root (void)
{
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");

  if (build_dir != NULL && g_path_is_absolute (build_dir) &&
      g_file_test (build_dir, G_FILE_TEST_IS_DIR))
    return g_build_filename (build_dir, "pg-test-cache", NULL);
  {
    g_autofree char *name = g_strdup_printf ("omni-pgcache-%u", (guint)getuid ());

    return g_build_filename (g_get_tmp_dir (), name, NULL);
  }
}

/* The cache entry for this server's initdb: named after everything that
 * decides what initdb writes (its version, its arguments), so another
 * PostgreSQL or another locale gets a directory of its own. */
static char *
cache_key (PgTestServer  *server,
           const char    *bin_dir,
           ChildSetup    *setup,
           GError       **error)
{
  g_autofree char *initdb = g_build_filename (bin_dir, "initdb", NULL);
  const char *argv[] = { initdb, "--version", NULL };
  g_autofree char *version = run_as_server_user (argv, "/", setup, error);
  g_autofree char *what = NULL;
  g_autofree char *sum = NULL;

  if (version == NULL)
    return NULL;
  what = g_strdup_printf ("1\n%s\n%s\ntrust omnistock UTF8 %s\n", bin_dir, g_strstrip (version),
                          server->locale != NULL ? server->locale : "(no locale)");
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, what, -1);
  return g_strndup (sum, 24);
}

/* The cached cluster for this server's key, initialised by the first test
 * process that needs it; the others wait on the lock meanwhile. Returns the
 * path of its data directory, which is never written to after that. */
static char *
cached_data_dir (PgTestServer  *server,
                 const char    *bin_dir,
                 ChildSetup    *setup,
                 GError       **error)
{
  g_autofree char *root = cache_root ();
  g_autofree char *key = cache_key (server, bin_dir, setup, error);
  g_autofree char *entry = NULL;
  g_autofree char *data = NULL;
  g_autofree char *version_file = NULL;
  g_autofree char *lock_path = NULL;
  int lock_fd;
  gboolean ok = TRUE;

  if (key == NULL)
    return NULL;
  if (g_mkdir_with_parents (root, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", root, g_strerror (saved_errno));
      return NULL;
    }
  {
    /* In a shared temporary directory, only a directory of our own. */
    GStatBuf st;

    if (g_lstat (root, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != geteuid ())
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     "%s is not a directory of this user's", root);
        return NULL;
      }
  }
  entry = g_build_filename (root, key, NULL);
  data = g_build_filename (entry, "data", NULL);
  version_file = g_build_filename (data, "PG_VERSION", NULL);
  lock_path = g_strconcat (entry, ".lock", NULL);

  lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0 || flock (lock_fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not lock %s: %s", lock_path, g_strerror (saved_errno));
      if (lock_fd >= 0)
        close (lock_fd);
      return NULL;
    }

  /* An entry appears whole (renamed into place) or not at all. */
  if (!g_file_test (version_file, G_FILE_TEST_EXISTS))
    {
      g_autofree char *staging = g_strconcat (entry, ".new", NULL);
      g_autofree char *staging_data = g_build_filename (staging, "data", NULL);

      remove_tree (staging);
      remove_tree (entry);
      if (g_mkdir (staging, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not create %s: %s", staging, g_strerror (saved_errno));
          ok = FALSE;
        }
      ok = ok && hand_to_server_user (staging, setup, error) &&
           run_initdb (bin_dir, staging_data, staging, server->locale, setup, error);
      if (ok && g_rename (staging, entry) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not move %s into place: %s", staging, g_strerror (saved_errno));
          ok = FALSE;
        }
      if (!ok)
        remove_tree (staging);
    }
  close (lock_fd);

  return ok ? g_steal_pointer (&data) : NULL;
}

/* initdb takes seconds; a copy of a cluster initialised once takes a
 * fraction of that. OMNISTOCK_PG_TEST_NO_CACHE runs initdb every time. */
static gboolean
prepare_data_dir (PgTestServer  *server,
                  const char    *bin_dir,
                  ChildSetup    *setup,
                  GError       **error)
{
  g_autofree char *cached = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_getenv ("OMNISTOCK_PG_TEST_NO_CACHE") != NULL)
    return run_initdb (bin_dir, server->data_dir, server->dir, server->locale, setup, error);

  cached = cached_data_dir (server, bin_dir, setup, &local_error);
  if (cached == NULL)
    {
      /* No cache (a read-only build directory, say): initdb here, which
       * reports its own failure if it is initdb that fails. */
      g_test_message ("No initdb cache, running initdb: %s", local_error->message);
      return run_initdb (bin_dir, server->data_dir, server->dir, server->locale, setup, error);
    }

  {
    /* as the server's user, so that the copy is its own (mode 0700 kept) */
    const char *argv[] = { "cp", "-R", "-p", cached, server->data_dir, NULL };

    out = run_as_server_user (argv, server->dir, setup, error);
  }
  return out != NULL;
}

static gboolean
spawn_postgres (PgTestServer  *server,
                const char    *bin_dir,
                ChildSetup    *setup,
                GError       **error)
{
  g_autofree char *postgres = g_build_filename (bin_dir, "postgres", NULL);
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  /* Tests need no durability; a benchmark comparing with SQLite's WAL
   * (whose commits reach the disk at checkpoints) sets
   * OMNISTOCK_PG_TEST_DURABLE: the same promise from PostgreSQL is fsync on,
   * commits not waiting for the disk. */
  gboolean durable = g_getenv ("OMNISTOCK_PG_TEST_DURABLE") != NULL;
  const char *argv[] = {
    postgres, "-D", server->data_dir, "-k", server->dir, "-p", port,
    "-c", "listen_addresses=", "-c", durable ? "fsync=on" : "fsync=off",
    "-c", "synchronous_commit=off",
    "-c", durable ? "full_page_writes=on" : "full_page_writes=off",
    "-c", "max_connections=40", NULL,
  };
  g_autoptr(GError) local_error = NULL;

  setup->log_path = server->log_path;
  if (!g_spawn_async (server->dir, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                      child_setup, setup, &server->pid, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not start %s: %s", postgres, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
admin_conninfo (PgTestServer *server)
{
  /* key=value form: the directory goes in single quotes, backslash-escaped */
  g_autoptr(GString) s = g_string_new ("host='");

  for (const char *p = server->dir; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_printf (s, "' port=%u user=omnistock dbname=postgres", server->port);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
wait_until_ready (PgTestServer  *server,
                  GError       **error)
{
  g_autofree char *conninfo = admin_conninfo (server);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;
  int status = 0;

  while (g_get_monotonic_time () < deadline)
    {
      if (PQping (conninfo) == PQPING_OK)
        return TRUE;
      if (waitpid (server->pid, &status, WNOHANG) == server->pid)
        {
          g_autofree char *tail = log_tail (server);

          server->pid = 0;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The PostgreSQL test server exited while starting (status %d). "
                       "Its log ends with:\n%s", status, tail);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }

  {
    g_autofree char *tail = log_tail (server);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "The PostgreSQL test server did not accept connections within 30 s. "
                 "Its log ends with:\n%s", tail);
  }
  return FALSE;
}

static void
kill_and_reap (PgTestServer *server)
{
  gint64 deadline;
  int status;

  if (server->pid <= 0)
    return;

  /* SIGINT: fast shutdown, open sessions are ended */
  kill (server->pid, SIGINT);
  deadline = g_get_monotonic_time () + STOP_TIMEOUT_US;
  while (waitpid (server->pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (server->pid, SIGKILL);
          waitpid (server->pid, &status, 0);
          break;
        }
      g_usleep (10 * 1000);
    }
  server->pid = 0;
}

PgTestServer *
pg_test_server_start (GError **error)
{
  return pg_test_server_start_with_locale (NULL, error);
}

PgTestServer *
pg_test_server_start_with_locale (const char  *locale,
                                  GError     **error)
{
  g_autofree char *bin_dir = NULL;
  const char *parent;
  PgTestServer *server;
  ChildSetup setup;

  parent = servers_parent_dir ();
  sweep_stale_dirs (parent);
  if (g_strcmp0 (parent, g_get_tmp_dir ()) != 0)
    sweep_stale_dirs (g_get_tmp_dir ());
  bin_dir = find_bin_dir (error);
  if (bin_dir == NULL || !fill_child_setup (&setup, error))
    return NULL;

  server = g_new0 (PgTestServer, 1);
  server->locale = g_strdup (locale);
  server->dir = g_build_filename (parent, "omni-pg-XXXXXX", NULL);
  if (g_mkdtemp (server->dir) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create a directory in %s for the test server: %s",
                   parent, g_strerror (saved_errno));
      g_clear_pointer (&server->dir, g_free);
      server_free (server);
      return NULL;
    }
  /* The socket is DIR/.s.PGSQL.PORT, and sun_path holds 107 bytes. */
  if (strlen (server->dir) > 80)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   "The temporary directory %s is too long a path for the test server's "
                   "Unix socket; point TMPDIR at a shorter one", server->dir);
      server_free (server);
      return NULL;
    }
  server->data_dir = g_build_filename (server->dir, "data", NULL);
  /* OMNISTOCK_PG_TEST_LOG keeps the server's log (every failed statement
   * with its text) after the directory is gone. */
  if (g_getenv ("OMNISTOCK_PG_TEST_LOG") != NULL)
    server->log_path = g_strdup (g_getenv ("OMNISTOCK_PG_TEST_LOG"));
  else
    server->log_path = g_build_filename (server->dir, "server.log", NULL);
  server->escaped_dir = g_uri_escape_string (server->dir, NULL, FALSE);
  server->port = pick_port ();

  {
    g_autofree char *owner_file = g_build_filename (server->dir, "owner.pid", NULL);
    g_autofree char *owner = g_strdup_printf ("%d\n", (int)getpid ());

    if (!g_file_set_contents (owner_file, owner, -1, error))
      {
        server_free (server);
        return NULL;
      }
  }

  if (setup.drop_root && chown (server->dir, setup.uid, setup.gid) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not hand %s to the postgres user: %s",
                   server->dir, g_strerror (saved_errno));
      server_free (server);
      return NULL;
    }

  if (!prepare_data_dir (server, bin_dir, &setup, error) ||
      !spawn_postgres (server, bin_dir, &setup, error) ||
      !wait_until_ready (server, error))
    {
      kill_and_reap (server);
      server_free (server);
      return NULL;
    }
  return server;
}

static char *
create_database (PgTestServer  *server,
                 const char    *name,
                 const char    *template_name,
                 GError       **error)
{
  g_autofree char *conninfo = NULL;
  g_autofree char *sql = NULL;
  PGconn *conn;
  PGresult *result;
  char *quoted;

  conninfo = admin_conninfo (server);
  conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   "Could not connect to the PostgreSQL test server: %s", PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }

  quoted = PQescapeIdentifier (conn, name, strlen (name));
  if (template_name != NULL)
    {
      char *quoted_template = PQescapeIdentifier (conn, template_name, strlen (template_name));

      /* FILE_COPY: a copy of the template's files, much cheaper for a small
       * database than writing every page to the WAL (and without fsync the
       * checkpoint it needs costs next to nothing). */
      sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY",
                             quoted, quoted_template);
      PQfreemem (quoted_template);
    }
  else
    sql = g_strdup_printf ("CREATE DATABASE %s", quoted);
  PQfreemem (quoted);

  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not create the test database %s: %s", name, PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return NULL;
    }
  PQclear (result);
  PQfinish (conn);

  return g_strdup_printf ("postgresql://omnistock@%s:%u/%s",
                          server->escaped_dir, server->port, name);
}

char *
pg_test_server_create_database (PgTestServer  *server,
                                GError       **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (server != NULL, NULL);

  name = g_strdup_printf ("omni_test_%u_%u", (guint)getpid (), ++server->n_databases);
  return create_database (server, name, NULL, error);
}

char *
pg_test_server_create_named_database (PgTestServer  *server,
                                      const char    *name,
                                      GError       **error)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return create_database (server, name, NULL, error);
}

char *
pg_test_server_copy_database (PgTestServer  *server,
                              const char    *template_name,
                              GError       **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (template_name != NULL, NULL);

  name = g_strdup_printf ("omni_test_%u_%u", (guint)getpid (), ++server->n_databases);
  return create_database (server, name, template_name, error);
}

void
pg_test_server_stop (PgTestServer *server)
{
  if (server == NULL)
    return;
  kill_and_reap (server);
  server_free (server);
}

const char *
pg_test_server_get_socket_dir (PgTestServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);
  return server->dir;
}

guint
pg_test_server_get_port (PgTestServer *server)
{
  g_return_val_if_fail (server != NULL, 0);
  return server->port;
}

static PgTestServer *shared_server;
static pid_t shared_owner;

static void
stop_shared (void)
{
  /* a forked child that exits normally must not stop its parent's server */
  if (getpid () == shared_owner)
    g_clear_pointer (&shared_server, pg_test_server_stop);
}

PgTestServer *
pg_test_server_get_shared (void)
{
  g_autoptr(GError) error = NULL;

  if (shared_server != NULL)
    return shared_server;

  shared_server = pg_test_server_start (&error);
  if (shared_server == NULL)
    g_error ("Could not start the PostgreSQL test server: %s", error->message);
  shared_owner = getpid ();
  atexit (stop_shared);
  return shared_server;
}
