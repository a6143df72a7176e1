/* omni-rate-limit.c: token buckets, one per API operation
 *
 * Platforms such as Amazon's Selling Partner API and eBay's Sell APIs limit
 * each operation separately with a token bucket: @rate tokens per second
 * flow into a bucket holding at most @burst, and every request takes one.
 * The client keeps the same bucket on its side, so it waits before sending
 * a request the platform would throttle. A bucket starts full. The bucket
 * may go into debt: reserving from an empty bucket returns how long to wait
 * for the reserved token, so concurrent callers queue in order.
 *
 * When the platform says what rate it applied (Amazon's
 * x-amzn-RateLimit-Limit header) the bucket follows it; a throttled answer
 * empties the bucket, so the next request waits a full token.
 *
 * Thread-safe: a connector's buckets outlive its runs and are shared by the
 * pull and the push, which may run on different worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-sync"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "omni-http.h"
#include "omni-rate-limit.h"

/* A rate the platform reports is trusted within these bounds. */
#define MIN_RATE 0.0001
#define MAX_RATE 1000.0

typedef struct
{
  double rate;          /* tokens per second */
  double burst;         /* bucket size */
  double tokens;        /* may be negative: reserved ahead */
  gint64 updated_us;    /* monotonic time of @tokens */
} Bucket;

struct _OmniRateLimit
{
  GMutex      lock;
  GHashTable *buckets;  /* operation → Bucket */
  gint64      margin_ms;
};

OmniRateLimit *
omni_rate_limit_new (void)
{
  OmniRateLimit *self = g_new0 (OmniRateLimit, 1);

  g_mutex_init (&self->lock);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
omni_rate_limit_free (OmniRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void
refill (Bucket *bucket,
        gint64  now_us)
{
  if (now_us > bucket->updated_us)
    {
      bucket->tokens = MIN (bucket->burst,
                            bucket->tokens + bucket->rate * (now_us - bucket->updated_us) / 1e6);
      bucket->updated_us = now_us;
    }
}

/**
 * omni_rate_limit_define:
 * @operation: the operation's name, as the platform documents it
 * @rate: requests per second
 * @burst: the most requests sent at once after a quiet spell (at least 1)
 *
 * Sets (or resets) an operation's bucket, full.
 */
void
omni_rate_limit_define (OmniRateLimit *self,
                        const char    *operation,
                        double         rate,
                        double         burst)
{
  Bucket *bucket = g_new0 (Bucket, 1);

  g_return_if_fail (self != NULL && operation != NULL);

  bucket->rate = CLAMP (rate, MIN_RATE, MAX_RATE);
  bucket->burst = MAX (burst, 1.0);
  bucket->tokens = bucket->burst;
  bucket->updated_us = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->buckets, g_strdup (operation), bucket);
  g_mutex_unlock (&self->lock);
}

/**
 * omni_rate_limit_set_margin:
 * @margin_ms: added to every wait
 *
 * The platform's bucket and ours never start at quite the same instant,
 * and a request's latency varies; a request sent the very moment our
 * bucket refills may find the platform's a hair short. A small margin on
 * every wait keeps the client under the limit.
 */
void
omni_rate_limit_set_margin (OmniRateLimit *self,
                            gint64         margin_ms)
{
  g_mutex_lock (&self->lock);
  self->margin_ms = MAX (margin_ms, 0);
  g_mutex_unlock (&self->lock);
}

gboolean
omni_rate_limit_is_defined (OmniRateLimit *self,
                            const char    *operation)
{
  gboolean found;

  g_mutex_lock (&self->lock);
  found = g_hash_table_contains (self->buckets, operation);
  g_mutex_unlock (&self->lock);
  return found;
}

/**
 * omni_rate_limit_reserve:
 * @now_us: the monotonic time, or 0 for now
 *
 * Takes one token of @operation's bucket.
 *
 * Returns: how many milliseconds to wait before the request may be sent
 *   (0 when a token was there); 0 for an operation without a bucket
 */
gint64
omni_rate_limit_reserve (OmniRateLimit *self,
                         const char    *operation,
                         gint64         now_us)
{
  Bucket *bucket;
  gint64 wait_ms = 0;

  g_return_val_if_fail (self != NULL && operation != NULL, 0);

  if (now_us == 0)
    now_us = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->buckets, operation);
  if (bucket != NULL)
    {
      refill (bucket, now_us);
      bucket->tokens -= 1.0;
      if (bucket->tokens < 0)
        wait_ms = (gint64)ceil (-bucket->tokens / bucket->rate * 1000.0) + self->margin_ms;
    }
  g_mutex_unlock (&self->lock);
  return wait_ms;
}

/**
 * omni_rate_limit_acquire:
 * @waited_ms: (out) (optional): adds the time waited
 *
 * Takes a token of @operation's bucket, waiting on the calling (worker)
 * thread until it is there.
 *
 * Returns: %FALSE only when @cancellable was cancelled while waiting
 */
gboolean
omni_rate_limit_acquire (OmniRateLimit  *self,
                         const char     *operation,
                         GCancellable   *cancellable,
                         gint64         *waited_ms,
                         GError        **error)
{
  gint64 wait_ms = omni_rate_limit_reserve (self, operation, 0);

  if (wait_ms <= 0)
    return TRUE;
  if (waited_ms != NULL)
    *waited_ms += wait_ms;
  return omni_http_sleep (wait_ms, cancellable, error);
}

/**
 * omni_rate_limit_set_rate:
 * @rate: the rate the platform says it applied, in requests per second
 *
 * Follows the platform's rate for @operation (within sane bounds); the
 * burst is kept. Creates a bucket with a burst of 1 for an operation not
 * defined yet.
 */
void
omni_rate_limit_set_rate (OmniRateLimit *self,
                          const char    *operation,
                          double         rate)
{
  Bucket *bucket;

  g_return_if_fail (self != NULL && operation != NULL);

  if (!(rate > 0) || isinf (rate))
    return;
  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->buckets, operation);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->burst = 1.0;
      bucket->tokens = 1.0;
      bucket->updated_us = g_get_monotonic_time ();
      g_hash_table_insert (self->buckets, g_strdup (operation), bucket);
    }
  refill (bucket, g_get_monotonic_time ());
  bucket->rate = CLAMP (rate, MIN_RATE, MAX_RATE);
  g_mutex_unlock (&self->lock);
}

/**
 * omni_rate_limit_throttled:
 *
 * The platform refused a request of @operation for its rate: the bucket is
 * empty on its side, so it is emptied here too (debts are kept).
 */
void
omni_rate_limit_throttled (OmniRateLimit *self,
                           const char    *operation,
                           gint64         now_us)
{
  Bucket *bucket;

  if (now_us == 0)
    now_us = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->buckets, operation);
  if (bucket != NULL)
    {
      refill (bucket, now_us);
      bucket->tokens = MIN (bucket->tokens, 0.0);
    }
  g_mutex_unlock (&self->lock);
}

double
omni_rate_limit_get_rate (OmniRateLimit *self,
                          const char    *operation)
{
  Bucket *bucket;
  double rate = 0;

  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->buckets, operation);
  if (bucket != NULL)
    rate = bucket->rate;
  g_mutex_unlock (&self->lock);
  return rate;
}

double
omni_rate_limit_get_burst (OmniRateLimit *self,
                           const char    *operation)
{
  Bucket *bucket;
  double burst = 0;

  g_mutex_lock (&self->lock);
  bucket = g_hash_table_lookup (self->buckets, operation);
  if (bucket != NULL)
    burst = bucket->burst;
  g_mutex_unlock (&self->lock);
  return burst;
}

/**
 * omni_rate_limit_parse_header:
 * @value: (nullable): a rate header's value, such as "0.0167"
 *
 * Returns: the rate in requests per second, or 0 when @value is not a
 *   positive finite number
 */
double
omni_rate_limit_parse_header (const char *value)
{
  g_autofree char *trimmed = NULL;
  char *end = NULL;
  double rate;

  if (value == NULL)
    return 0;
  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0' || strlen (trimmed) > 32)
    return 0;
  rate = g_ascii_strtod (trimmed, &end);
  if (end == NULL || *end != '\0' || !(rate > 0) || isinf (rate) || isnan (rate))
    return 0;
  return rate;
}
