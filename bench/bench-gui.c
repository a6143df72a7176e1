/* bench-gui.c: start-up time and memory of the real application, by size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-gui [--small N] [--large N] [--runs N] [--omnistock PATH]
 *
 * Starts the installed-to-be `omnistock --db CATALOG` on the products page
 * (a throw-away keyfile settings backend says last-page='products'), with
 * OMNISTOCK_BENCH_FIRST_FRAME=1 so the application prints the monotonic time
 * of the first frame's "after-paint". Time to first frame is that minus the
 * time just before the spawn. Then it waits until the process has used no
 * CPU for a second (the list's first page, the counts and everything else
 * loaded), reads VmRSS and VmHWM from /proc and stops it with SIGTERM.
 *
 * Runs alternate between the small and the large catalog so both see the
 * same machine; the medians are compared. Needs a display: run it under
 * xvfb-run. Without DISPLAY it exits 77, which meson reports as skipped.
 */
#define G_LOG_DOMAIN "bench-gui"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-common.h"

#define GOAL_RATIO       1.3
#define WINDOW_US        G_USEC_PER_SEC
#define IDLE_TICKS       5     /* of 100 a second: 5 % of a core */
#define POLL_MS          100
#define START_TIMEOUT_S  120

typedef struct
{
  double first_frame_ms;
  double first_frame_cpu_ms;   /* CPU time the process had used by then */
  double idle_ms;
  double rss_mib;
  double hwm_mib;
} Run;

typedef struct
{
  gint64 us;
  gint64 ticks;
} CpuSample;

/* utime + stime of @pid, in clock ticks; -1 once it is gone. */
static gint64
cpu_ticks (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* The command name, in parentheses, may hold spaces: count from after it. */
  after = strrchr (text, ')');
  if (after == NULL)
    return -1;
  fields = g_strsplit (after + 2, " ", -1);
  /* Fields 14 and 15 of the line are 12 and 13 after the name and state. */
  if (g_strv_length (fields) < 14)
    return -1;
  return g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
}

/* A "VmRSS:  123456 kB" line of /proc/PID/status, in MiB. */
static double
status_mib (const char *status,
            const char *key)
{
  const char *line = strstr (status, key);

  if (line == NULL)
    return -1;
  return (double)g_ascii_strtoll (line + strlen (key), NULL, 10) / 1024.0;
}

static gboolean
write_settings (const char  *config_home,
                GError     **error)
{
  g_autofree char *dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
  g_autofree char *file = g_build_filename (dir, "keyfile", NULL);
  static const char keyfile[] =
    "[io/github/omnistock/OmniStock]\n"
    "last-page='products'\n"
    "window-width=1280\n"
    "window-height=800\n"
    "window-maximized=false\n";

  /* A blinking cursor in the search entry would keep the process busy for
   * its first ten seconds, hiding the moment loading ends. */
  static const char gtk_settings[] =
    "[Settings]\n"
    "gtk-cursor-blink=false\n";
  g_autofree char *gtk_dir = g_build_filename (config_home, "gtk-4.0", NULL);
  g_autofree char *gtk_file = g_build_filename (gtk_dir, "settings.ini", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_mkdir_with_parents (gtk_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not create %s", dir);
      return FALSE;
    }
  return g_file_set_contents (file, keyfile, -1, error) &&
         g_file_set_contents (gtk_file, gtk_settings, -1, error);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

static gboolean
run_once (const char  *binary,
          const char  *db,
          Run         *run,
          GError     **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *data_home = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GFile) tmp_file = NULL;
  g_autofree char *status = NULL;
  g_autofree char *status_path = NULL;
  const char *pid;
  gint64 started_us, frame_us = 0, idle_since_us;
  gboolean ok = FALSE;

  if (!(tmp = g_dir_make_tmp ("omnistock-bench-gui-XXXXXX", error)))
    return FALSE;
  tmp_file = g_file_new_for_path (tmp);
  config_home = g_build_filename (tmp, "config", NULL);
  data_home = g_build_filename (tmp, "data", NULL);
  if (!write_settings (config_home, error))
    goto out;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "OMNISTOCK_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);

  started_us = g_get_monotonic_time ();
  child = g_subprocess_launcher_spawn (launcher, error, binary, "--db", db, NULL);
  if (child == NULL)
    goto out;
  pid = g_subprocess_get_identifier (child);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while (frame_us == 0)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "%s exited before painting its first frame", binary);
          goto stop;
        }
      if (g_str_has_prefix (line, "OMNISTOCK_BENCH first-frame "))
        frame_us = g_ascii_strtoll (line + strlen ("OMNISTOCK_BENCH first-frame "), NULL, 10);
    }
  run->first_frame_ms = (double)(frame_us - started_us) / 1000.0;
  run->first_frame_cpu_ms = (double)cpu_ticks (pid) * 1000.0 / (double)sysconf (_SC_CLK_TCK);

  /* Idle: at most IDLE_TICKS of CPU time over the last second (an idle
   * window still repaints now and then). */
  {
    g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (CpuSample));
    guint first = 0;

    for (;;)
      {
        CpuSample now = { g_get_monotonic_time (), cpu_ticks (pid) }, *oldest;

        if (now.ticks < 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited while loading",
                         binary);
            goto stop;
          }
        g_array_append_val (samples, now);
        /* The oldest sample at least a second old. */
        while (first + 1 < samples->len &&
               now.us - g_array_index (samples, CpuSample, first + 1).us >= WINDOW_US)
          first++;
        oldest = &g_array_index (samples, CpuSample, first);
        if (now.us - oldest->us >= WINDOW_US && now.ticks - oldest->ticks <= IDLE_TICKS)
          {
            idle_since_us = oldest->us;
            break;
          }
        if (now.us - started_us > START_TIMEOUT_S * G_USEC_PER_SEC)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                         "%s was still busy after %d s", binary, START_TIMEOUT_S);
            goto stop;
          }
        g_usleep (POLL_MS * 1000);
      }
  }
  run->idle_ms = (double)(idle_since_us - started_us) / 1000.0;

  status_path = g_strdup_printf ("/proc/%s/status", pid);
  if (!g_file_get_contents (status_path, &status, NULL, error))
    goto stop;
  run->rss_mib = status_mib (status, "VmRSS:");
  run->hwm_mib = status_mib (status, "VmHWM:");
  ok = run->rss_mib > 0 && run->hwm_mib > 0;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No VmRSS in %s", status_path);

stop:
  g_subprocess_send_signal (child, SIGTERM);
  g_subprocess_wait (child, NULL, NULL);
out:
  remove_tree (tmp_file);
  return ok;
}

static double
median_of (const Run *runs,
           guint      n,
           gsize      offset)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    g_array_append_val (values, G_STRUCT_MEMBER (double, &runs[i], offset));
  return bench_median (values);
}

#define MEDIAN(runs, n, field) median_of (runs, n, G_STRUCT_OFFSET (Run, field))

int
main (int   argc,
      char *argv[])
{
  gint64 sizes[2] = { 0, 0 };
  int n_runs = 3;
  g_autofree char *binary = NULL;
  GOptionEntry entries[] = {
    { "small", 0, 0, G_OPTION_ARG_INT64, &sizes[0],
      "Baseline catalog (OMNISTOCK_BENCH_SMALL, else 1000)", "N" },
    { "large", 0, 0, G_OPTION_ARG_INT64, &sizes[1],
      "Large catalog (OMNISTOCK_BENCH_LARGE, else 10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Starts of each (3)", "N" },
    { "omnistock", 0, 0, G_OPTION_ARG_FILENAME, &binary,
      "The application (OMNISTOCK_BIN)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— GUI start-up by catalog size");
  g_autoptr(GError) error = NULL;
  char *paths[2] = { NULL, NULL };
  char *labels[2] = { NULL, NULL };
  Run *runs[2] = { NULL, NULL };
  double frame[2], cpu[2], idle[2], rss[2], hwm[2], frame_ratio, rss_ratio;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-gui: %s\n", error->message);
      return 2;
    }
  if (n_runs < 1 || n_runs > 50)
    {
      g_printerr ("bench-gui: --runs must be from 1 to 50\n");
      return 2;
    }
  if (binary == NULL)
    binary = g_strdup (g_getenv ("OMNISTOCK_BIN"));
  if (binary == NULL)
    {
      g_printerr ("bench-gui: say where omnistock is with --omnistock or OMNISTOCK_BIN\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("bench-gui: no display; run it under xvfb-run (skipped)\n");
      return 77;
    }

  if (sizes[0] <= 0)
    sizes[0] = bench_size_from_env ("OMNISTOCK_BENCH_SMALL", BENCH_DEFAULT_SMALL);
  if (sizes[1] <= 0)
    sizes[1] = bench_size_from_env ("OMNISTOCK_BENCH_LARGE", BENCH_DEFAULT_LARGE);
  for (guint s = 0; s < 2; s++)
    {
      if (!(paths[s] = bench_catalog (sizes[s], &error)))
        {
          g_printerr ("bench-gui: %s\n", error->message);
          return 2;
        }
      labels[s] = bench_format_count (sizes[s]);
      runs[s] = g_new0 (Run, n_runs);
    }

  for (int i = 0; i < n_runs; i++)
    for (guint s = 0; s < 2; s++)
      {
        Run *run = &runs[s][i];

        if (!run_once (binary, paths[s], run, &error))
          {
            g_printerr ("bench-gui: %s\n", error->message);
            return 1;
          }
        g_printerr ("  %-5s run %d: first frame %.0f ms (CPU %.0f ms), idle at %.0f ms,"
                    " VmRSS %.1f MiB, VmHWM %.1f MiB\n", labels[s], i + 1, run->first_frame_ms,
                    run->first_frame_cpu_ms, run->idle_ms, run->rss_mib, run->hwm_mib);
      }

  for (guint s = 0; s < 2; s++)
    {
      frame[s] = MEDIAN (runs[s], (guint)n_runs, first_frame_ms);
      cpu[s] = MEDIAN (runs[s], (guint)n_runs, first_frame_cpu_ms);
      idle[s] = MEDIAN (runs[s], (guint)n_runs, idle_ms);
      rss[s] = MEDIAN (runs[s], (guint)n_runs, rss_mib);
      hwm[s] = MEDIAN (runs[s], (guint)n_runs, hwm_mib);
    }
  frame_ratio = frame[1] / frame[0];
  rss_ratio = rss[1] / rss[0];

  g_print ("GUI start-up on the products page, %s (%s), median of %d starts each\n",
           binary, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default renderer",
           n_runs);
  g_print ("%-10s %15s %15s %15s %12s %12s\n", "variants", "first frame ms", "CPU by then ms",
           "idle after ms", "VmRSS MiB", "VmHWM MiB");
  for (guint s = 0; s < 2; s++)
    g_print ("%-10s %15.0f %15.0f %15.0f %12.1f %12.1f\n", labels[s], frame[s], cpu[s], idle[s],
             rss[s], hwm[s]);
  g_print ("%-10s %14.2fx %14.2fx %14.2fx %11.2fx %11.2fx\n", "ratio", frame_ratio,
           cpu[1] / cpu[0], idle[1] / idle[0], rss_ratio, hwm[1] / hwm[0]);
  g_print ("SUMMARY gui %s vs %s: first frame %.2fx, VmRSS %.2fx, VmHWM %.2fx"
           " (goal <= %.1fx each): %s\n", labels[1], labels[0], frame_ratio, rss_ratio,
           hwm[1] / hwm[0], GOAL_RATIO,
           frame_ratio <= GOAL_RATIO && rss_ratio <= GOAL_RATIO ? "met" : "MISSED");

  for (guint s = 0; s < 2; s++)
    {
      g_free (paths[s]);
      g_free (labels[s]);
      g_free (runs[s]);
    }
  return 0;
}
