/* fuzz_replay -- main() for the fuzz targets without libFuzzer: feeds files (or every file of directories) to LLVMFuzzerTestOneInput.

   Usage: fuzz_parse_replay FILE|DIR...   Prints "# FILE" before each input, so
   that the last such line names the input of a crash, then "replayed N
   inputs".  Exits 1 if an argument cannot be read.  */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
replay_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  if (!f)
    {
      perror (path);
      return -1;
    }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc (cap);
  size_t n;
  while (buf && (n = fread (buf + len, 1, cap - len, f)) > 0)
    if ((len += n) == cap)
      {
        uint8_t *b = realloc (buf, cap *= 2);
        if (!b)
          free (buf);
        buf = b;
      }
  int failed = ferror (f) || !buf;
  fclose (f);
  if (failed)
    {
      fprintf (stderr, "%s: cannot read\n", path);
      free (buf);
      return -1;
    }
  printf ("# %s\n", path);
  fflush (stdout);
  LLVMFuzzerTestOneInput (buf, len);
  free (buf);
  return 0;
}

static int
by_name (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The regular files of DIR, in name order so that runs are comparable.  */
static int
replay_dir (const char *dir, int *count)
{
  DIR *d = opendir (dir);
  if (!d)
    {
      perror (dir);
      return -1;
    }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir (d)) != NULL)
    {
      if (e->d_name[0] == '.')
        continue;
      if (n == cap)
        {
          char **m = realloc (names, (cap = cap ? 2 * cap : 64) * sizeof *names);
          if (!m)
            rc = -1;
          else
            names = m;
        }
      if (rc == 0 && !(names[n++] = malloc (strlen (dir) + strlen (e->d_name) + 2)))
        rc = -1;
      if (rc == 0)
        sprintf (names[n - 1], "%s/%s", dir, e->d_name);
    }
  closedir (d);
  if (rc == 0 && n)
    qsort (names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++)
    {
      struct stat st;
      if (rc == 0 && names[i] && stat (names[i], &st) == 0 && S_ISREG (st.st_mode))
        {
          rc = replay_file (names[i]);
          ++*count;
        }
      free (names[i]);
    }
  free (names);
  return rc;
}

int
main (int argc, char **argv)
{
  int count = 0;
  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      if (stat (argv[i], &st) != 0)
        {
          perror (argv[i]);
          return 1;
        }
      int rc = S_ISDIR (st.st_mode) ? replay_dir (argv[i], &count) : (count++, replay_file (argv[i]));
      if (rc != 0)
        return 1;
    }
  printf ("replayed %d inputs\n", count);
  return 0;
}
