/* omni-store-demo.c: ninety days in the life of Fernwood Outfitters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "omni-demo-catalog.h"
#include "omni-store-demo.h"

/* Ninety days of history; in the last FINAL_DAYS a few best sellers run down
 * on purpose, so the low-stock and out-of-stock tiles have something to show. */
#define HISTORY_DAYS   90
#define FINAL_DAYS     14
#define RUN_DOWN_DAY   (HISTORY_DAYS - FINAL_DAYS)
#define ORDERS_PER_DAY 3.6    /* a quiet Monday would see a little less */
#define UNITS_PER_DAY  8.0    /* about what those orders sell, all variants together */
#define MAX_LINES      3
#define FLOOR          OMNI_DEMO_FLOOR
#define BACK           OMNI_DEMO_BACK
#define N_LOCATIONS    OMNI_DEMO_N_LOCATIONS
#define MINUTE_US      ((gint64)60 * G_USEC_PER_SEC)

/* Busier at the end of the week, as a high-street shop is; Monday first. */
static const double weekday_factor[7] = { 0.8, 0.85, 0.9, 1.0, 1.3, 2.0, 1.5 };
static const char * const weekday_staff[7] = {
  "Maya", "Tom", "Maya", "Tom", "Maya", "Ines", "Ines",
};

/* A variant as the history sees it: its plan and what it holds now. */
typedef struct
{
  const OmniDemoItem *item;
  gint64              id;
  gint64              level[N_LOCATIONS];
  gint64              incoming;       /* on order, 0 for nothing */
  guint               incoming_day;
  guint               incoming_po;
} DemoVariant;

typedef struct
{
  guint  n_lines;
  guint  variant[MAX_LINES];
  gint64 quantity[MAX_LINES];
} DemoOrder;

typedef struct
{
  guint day;
  guint order_number;
  guint variant;
} DemoSale;

typedef struct
{
  OmniStore *store;
  GRand     *rand;
  GArray    *items;           /* OmniDemoItem */
  GArray    *variants;        /* DemoVariant, parallel to items */
  GArray    *sales;           /* DemoSale, for returns */
  gint64     location[N_LOCATIONS];
  gint64     day_start[HISTORY_DAYS];
  guint      weekday[HISTORY_DAYS];  /* 0 is Monday */
  gint64     clock;
  guint      next_po;
  guint      next_transfer;
  guint      next_order;
  guint      po_today[OMNI_DEMO_MAX_VENDORS];
} DemoState;

static void
demo_state_clear (DemoState *state)
{
  g_clear_pointer (&state->rand, g_rand_free);
  g_clear_pointer (&state->variants, g_array_unref);
  g_clear_pointer (&state->items, g_array_unref);
  g_clear_pointer (&state->sales, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DemoState, demo_state_clear)

static DemoVariant *
variant_at (DemoState *state,
            guint      i)
{
  return &g_array_index (state->variants, DemoVariant, i);
}

/* Local midnights, so opening hours and weekends fall where a merchant
 * expects them; the history ends the day before @end_us. */
static void
demo_state_init_days (DemoState *state,
                      gint64     end_us)
{
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (end_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) midnight = NULL;

  midnight = g_date_time_add_full (end, 0, 0, 0,
                                   -g_date_time_get_hour (end),
                                   -g_date_time_get_minute (end),
                                   -(double)g_date_time_get_second (end));
  for (guint day = 0; day < HISTORY_DAYS; day++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_days (midnight, (int)day - HISTORY_DAYS);

      state->day_start[day] = g_date_time_to_unix (start) * G_USEC_PER_SEC;
      state->weekday[day] = (guint)g_date_time_get_day_of_week (start) - 1;
    }
}

static void
demo_state_init (DemoState *state,
                 OmniStore *store,
                 guint32    seed,
                 gint64     end_us)
{
  state->store = store;
  state->rand = g_rand_new_with_seed (seed);
  state->items = omni_demo_catalog_expand ();
  omni_demo_catalog_plan (state->items, state->rand, UNITS_PER_DAY);
  state->variants = g_array_new (FALSE, TRUE, sizeof (DemoVariant));
  g_array_set_size (state->variants, state->items->len);
  for (guint i = 0; i < state->items->len; i++)
    variant_at (state, i)->item = &g_array_index (state->items, OmniDemoItem, i);
  state->sales = g_array_new (FALSE, FALSE, sizeof (DemoSale));
  state->next_po = 1001;
  state->next_transfer = 1;
  state->next_order = 1001;
  demo_state_init_days (state, end_us);
}

/* Every event gets its own second, in the order it is written. */
static gint64
demo_time (DemoState *state,
           guint      day,
           guint      minutes)
{
  gint64 planned = state->day_start[day] + minutes * MINUTE_US;

  state->clock = MAX (planned, state->clock + G_USEC_PER_SEC);
  return state->clock;
}

static const char *
demo_actor (DemoState *state,
            guint      day)
{
  return weekday_staff[state->weekday[day]];
}

/* One purchase order per vendor and day, whatever it holds. */
static guint
demo_po_number (DemoState *state,
                guint      vendor)
{
  if (state->po_today[vendor] == 0)
    state->po_today[vendor] = state->next_po++;
  return state->po_today[vendor];
}

static gboolean
demo_in_run_down (const DemoVariant *v,
                  guint              day)
{
  return v->item->fate != OMNI_DEMO_FATE_NONE && day >= RUN_DOWN_DAY;
}

/* Catalog ------------------------------------------------------------- */

static gint64
demo_location (DemoState   *state,
               const char  *name,
               gboolean     is_default,
               GError     **error)
{
  gint64 id = omni_store_find_location (state->store, name, NULL);

  return id > 0 ? id : omni_store_add_location (state->store, name, is_default, error);
}

static gboolean
demo_create_catalog (DemoState  *state,
                     GError    **error)
{
  g_autofree gint64 *ids = g_new0 (gint64, state->variants->len);

  if (!omni_demo_catalog_create (state->store, state->items, ids, error))
    return FALSE;
  for (guint i = 0; i < state->variants->len; i++)
    variant_at (state, i)->id = ids[i];
  return TRUE;
}

/* Stock movements ----------------------------------------------------- */

static OmniMovementSpec
demo_spec (DemoState         *state,
           guint              day,
           gint64             time_us,
           const DemoVariant *v,
           guint              loc,
           gint64             delta,
           const char        *reason)
{
  OmniMovementSpec m = { 0 };

  g_assert (v->level[loc] + delta >= 0);

  m.variant_id = v->id;
  m.location_id = state->location[loc];
  m.on_hand_delta = delta;
  m.reason = reason;
  m.source = "demo";
  m.actor = demo_actor (state, day);
  m.time_us = time_us;
  return m;
}

static gboolean
demo_move (DemoState   *state,
           guint        day,
           gint64       time_us,
           DemoVariant *v,
           guint        loc,
           gint64       delta,
           const char  *reason,
           const char  *reference,
           const char  *note,
           GError     **error)
{
  OmniMovementSpec m = demo_spec (state, day, time_us, v, loc, delta, reason);

  m.reference = reference;
  m.note = note;
  if (!omni_store_record_movements (state->store, &m, 1, error))
    return FALSE;
  v->level[loc] += delta;
  return TRUE;
}

static gboolean
demo_receive (DemoState    *state,
              guint         day,
              guint         minutes,
              DemoVariant  *v,
              guint         loc,
              gint64        quantity,
              guint         po,
              const char   *note,
              GError      **error)
{
  g_autofree char *reference = g_strdup_printf ("PO-%u", po);

  return demo_move (state, day, demo_time (state, day, minutes), v, loc, quantity,
                    OMNI_REASON_RECEIVED, reference, note, error);
}

/* A shelf refill: both halves share a reference and a time. */
static gboolean
demo_transfer (DemoState    *state,
               guint         day,
               DemoVariant  *v,
               gint64        quantity,
               GError      **error)
{
  g_autofree char *reference = g_strdup_printf ("TR-%04u", state->next_transfer++);
  g_autofree char *operation = g_strconcat ("demo:", reference, NULL);
  gint64 time_us = demo_time (state, day, 9 * 60);
  OmniMovementSpec m[2] = {
    demo_spec (state, day, time_us, v, BACK, -quantity, OMNI_REASON_TRANSFER),
    demo_spec (state, day, time_us, v, FLOOR, quantity, OMNI_REASON_TRANSFER),
  };

  g_assert (quantity > 0);
  /* One operation, so history shows (and undo reverses) both legs together. */
  m[0].reference = m[1].reference = reference;
  m[0].operation = m[1].operation = operation;
  if (!omni_store_record_movements (state->store, m, 2, error))
    return FALSE;
  v->level[BACK] -= quantity;
  v->level[FLOOR] += quantity;
  return TRUE;
}

static gboolean
demo_open_stock (DemoState  *state,
                 GError    **error)
{
  static const guint order[] = { BACK, FLOOR };

  memset (state->po_today, 0, sizeof state->po_today);
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);

      for (guint k = 0; k < G_N_ELEMENTS (order); k++)
        if (v->item->opening[order[k]] > 0 &&
            !demo_receive (state, 0, 8 * 60, v, order[k], v->item->opening[order[k]],
                           demo_po_number (state, v->item->vendor), "Opening stock", error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
demo_deliveries (DemoState  *state,
                 guint       day,
                 GError    **error)
{
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);

      if (v->incoming == 0 || v->incoming_day != day)
        continue;
      if (!demo_receive (state, day, 8 * 60 + 30, v, BACK, v->incoming, v->incoming_po,
                         NULL, error))
        return FALSE;
      v->incoming = 0;
    }
  return TRUE;
}

/* The fated best sellers: their next delivery is late, and what is left
 * goes out to the shop floor to sell down to the planned level. */
static gboolean
demo_start_run_down (DemoState  *state,
                     guint       day,
                     GError    **error)
{
  memset (state->po_today, 0, sizeof state->po_today);
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);
      gint64 total = v->level[FLOOR] + v->level[BACK];

      if (v->item->fate == OMNI_DEMO_FATE_NONE)
        continue;
      v->incoming_day = MAX (v->incoming_day, HISTORY_DAYS + v->item->lead_days);
      if (total < v->item->fate_level + 2 &&
          !demo_receive (state, day, 8 * 60 + 30, v, BACK,
                         v->item->fate_level + 2 + g_rand_int_range (state->rand, 0, 4) - total,
                         demo_po_number (state, v->item->vendor), "Short delivery", error))
        return FALSE;
      if (v->level[BACK] > 0 && !demo_transfer (state, day, v, v->level[BACK], error))
        return FALSE;
    }
  return TRUE;
}

/* Refills shelves from the back room, always leaving one unit behind. */
static gboolean
demo_refill_shelves (DemoState  *state,
                     guint       day,
                     GError    **error)
{
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);
      gint64 quantity = MIN (v->level[BACK] - 1, v->item->floor_target - v->level[FLOOR]);

      if (!v->item->sellable || demo_in_run_down (v, day) ||
          v->level[FLOOR] > MAX (1, v->item->floor_target / 3) || quantity <= 0)
        continue;
      if (!demo_transfer (state, day, v, quantity, error))
        return FALSE;
    }
  return TRUE;
}

static void
demo_reorder (DemoState *state,
              guint      day)
{
  memset (state->po_today, 0, sizeof state->po_today);
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);

      if (!v->item->sellable || v->incoming > 0 || demo_in_run_down (v, day) ||
          v->level[FLOOR] + v->level[BACK] > v->item->trigger)
        continue;
      v->incoming = v->item->order_qty;
      v->incoming_day = day + v->item->lead_days;
      v->incoming_po = demo_po_number (state, v->item->vendor);
    }
}

/* A random variant that sells, is not being run down and has at least
 * @min_level at @loc; NULL when a few tries find none. */
static DemoVariant *
demo_random_variant (DemoState *state,
                     guint      day,
                     guint      loc,
                     gint64     min_level)
{
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      guint i = (guint)g_rand_int_range (state->rand, 0, (gint32)state->variants->len);
      DemoVariant *v = variant_at (state, i);

      if (v->item->sellable && !demo_in_run_down (v, day) && v->level[loc] >= min_level)
        return v;
    }
  return NULL;
}

static gboolean
demo_adjust (DemoState  *state,
             guint       day,
             GError    **error)
{
  static const char * const damage[] = {
    "Chipped on the shelf", "Marked by a customer", "Torn packaging",
  };
  double roll = g_rand_double (state->rand);
  gint64 time_us = demo_time (state, day, 18 * 60 + 30);
  DemoVariant *v;

  if (roll < 0.10 && (v = demo_random_variant (state, day, FLOOR, 2)) != NULL)
    return demo_move (state, day, time_us, v, FLOOR, -1, OMNI_REASON_DAMAGED, NULL,
                      damage[g_rand_int_range (state->rand, 0, G_N_ELEMENTS (damage))], error);
  if (roll < 0.15 && (v = demo_random_variant (state, day, FLOOR, 2)) != NULL)
    return demo_move (state, day, time_us, v, FLOOR, -1, OMNI_REASON_LOST, NULL,
                      "Missing at the weekly shelf check", error);
  if (roll < 0.23 && (v = demo_random_variant (state, day, BACK, 2)) != NULL)
    return demo_move (state, day, time_us, v, BACK,
                      g_rand_boolean (state->rand) ? -1 : 1, OMNI_REASON_CORRECTION, NULL,
                      "Back room recount", error);
  return TRUE;
}

/* Now and then a customer brings back something bought in the last two weeks. */
static gboolean
demo_return (DemoState  *state,
             guint       day,
             GError    **error)
{
  g_autofree char *reference = NULL;
  const DemoSale *sale;
  DemoVariant *v;
  guint from;

  if (g_rand_double (state->rand) >= 0.15 || state->sales->len == 0)
    return TRUE;

  from = state->sales->len > 60 ? state->sales->len - 60 : 0;
  sale = &g_array_index (state->sales, DemoSale,
                         g_rand_int_range (state->rand, (gint32)from, (gint32)state->sales->len));
  v = variant_at (state, sale->variant);
  if (sale->day + 14 < day || demo_in_run_down (v, day))
    return TRUE;

  reference = g_strdup_printf ("#%u", sale->order_number);
  return demo_move (state, day, demo_time (state, day, 18 * 60 + 15), v, FLOOR, 1,
                    OMNI_REASON_RETURNED, reference, "Customer return, back on the shelf", error);
}

/* Sales ---------------------------------------------------------------- */

static guint
demo_poisson (GRand  *rand,
              double  mean)
{
  double limit = exp (-mean), product = 1.0;
  guint n = 0;

  while ((product *= g_rand_double (rand)) > limit)
    n++;
  return n;
}

/* Most baskets hold one thing, one of it. */
static guint
demo_small_count (GRand  *rand,
                  double  two,
                  double  three)
{
  double roll = g_rand_double (rand);

  return roll < three ? 3 : roll < three + two ? 2 : 1;
}

static gboolean
order_has (const DemoOrder *order,
           guint            variant)
{
  for (guint i = 0; i < order->n_lines; i++)
    if (order->variant[i] == variant)
      return TRUE;
  return FALSE;
}

/* Takes the units off the shelf as the line is written, so the next pick
 * sees what is left. */
static void
order_add (DemoState *state,
           DemoOrder *order,
           guint      variant,
           gint64     quantity)
{
  g_assert (order->n_lines < MAX_LINES && quantity > 0);

  order->variant[order->n_lines] = variant;
  order->quantity[order->n_lines] = quantity;
  order->n_lines++;
  variant_at (state, variant)->level[FLOOR] -= quantity;
  g_assert (variant_at (state, variant)->level[FLOOR] >= 0);
}

static DemoOrder *
demo_order_with_room (DemoState *state,
                      GArray    *orders,
                      guint      variant)
{
  DemoOrder empty = { 0 };

  for (guint attempt = 0; orders->len > 0 && attempt < 3; attempt++)
    {
      DemoOrder *order = &g_array_index (orders, DemoOrder,
                                         g_rand_int_range (state->rand, 0, (gint32)orders->len));

      if (order->n_lines < MAX_LINES && !order_has (order, variant))
        return order;
    }
  g_array_append_val (orders, empty);
  return &g_array_index (orders, DemoOrder, orders->len - 1);
}

/* The run-down sells an even share of what is left above the planned level
 * each day, so the last day leaves exactly that level. */
static void
demo_add_run_down_lines (DemoState *state,
                         guint      day,
                         GArray    *orders)
{
  for (guint i = 0; i < state->variants->len; i++)
    {
      DemoVariant *v = variant_at (state, i);
      guint days_left = HISTORY_DAYS - day;
      gint64 quota;

      if (!demo_in_run_down (v, day))
        continue;
      quota = (v->level[FLOOR] - v->item->fate_level + days_left - 1) / days_left;
      while (quota > 0)
        {
          gint64 quantity = g_rand_int_range (state->rand, 1, 4);

          quantity = MIN (quantity, quota);

          order_add (state, demo_order_with_room (state, orders, i), i, quantity);
          quota -= quantity;
        }
    }
}

/* Fills a basket by popularity from what is on the shelf, leaving the
 * last unit of each variant for the display. */
static void
demo_fill_order (DemoState *state,
                 guint      day,
                 DemoOrder *order)
{
  guint wanted = demo_small_count (state->rand, 0.3, 0.1);

  for (guint attempt = 0; order->n_lines < wanted && attempt < 12; attempt++)
    {
      guint i = omni_demo_catalog_pick (state->items, state->rand);
      DemoVariant *v = variant_at (state, i);
      gint64 spare = v->level[FLOOR] - 1;
      gint64 quantity = demo_small_count (state->rand, 0.2, 0.05);

      if (spare < 1 || demo_in_run_down (v, day) || order_has (order, i))
        continue;
      order_add (state, order, i, MIN (quantity, spare));
    }
}

static gboolean
demo_record_order (DemoState        *state,
                   guint             day,
                   const DemoOrder  *order,
                   gint64            placed_us,
                   GError          **error)
{
  OmniOrderLineSpec lines[MAX_LINES] = { { 0 } };
  OmniOrderSpec spec = { 0 };
  guint number = state->next_order++;
  g_autofree char *name = g_strdup_printf ("#%u", number);
  g_autofree char *receipt = g_strdup_printf ("%u", number);

  for (guint i = 0; i < order->n_lines; i++)
    {
      const OmniDemoItem *item = variant_at (state, order->variant[i])->item;

      lines[i].variant_id = variant_at (state, order->variant[i])->id;
      lines[i].sku = item->sku;
      lines[i].title = item->title;
      lines[i].quantity = order->quantity[i];
      lines[i].price = item->price;
    }
  spec.channel_id = 0;
  spec.remote_id = receipt;
  spec.name = name;
  spec.currency = "USD";
  spec.placed_us = placed_us;
  spec.location_id = state->location[FLOOR];
  spec.lines = lines;
  spec.n_lines = order->n_lines;
  spec.actor = demo_actor (state, day);
  if (omni_store_record_order (state->store, &spec, error) == 0)
    return FALSE;

  for (guint i = 0; i < order->n_lines; i++)
    {
      DemoSale sale = { day, number, order->variant[i] };

      g_array_append_val (state->sales, sale);
    }
  return TRUE;
}

/* The day's till receipts, spread over opening hours (10:00 to 18:00). */
static gboolean
demo_sell (DemoState  *state,
           guint       day,
           GError    **error)
{
  g_autoptr(GArray) orders = g_array_new (FALSE, TRUE, sizeof (DemoOrder));
  double trend = 0.85 + 0.3 * day / (HISTORY_DAYS - 1);
  double mean = ORDERS_PER_DAY * weekday_factor[state->weekday[day]] * trend;

  g_array_set_size (orders, demo_poisson (state->rand, mean));
  demo_add_run_down_lines (state, day, orders);
  for (guint i = 0; i < orders->len; i++)
    {
      const DemoOrder *order = &g_array_index (orders, DemoOrder, i);
      /* One receipt somewhere in each equal slice of the day keeps them in
       * time order without sorting. */
      guint minute = 10 * 60 + (guint)((i + g_rand_double (state->rand)) * 8 * 60 / orders->len);

      demo_fill_order (state, day, &g_array_index (orders, DemoOrder, i));
      if (order->n_lines > 0 &&
          !demo_record_order (state, day, order, demo_time (state, day, minute), error))
        return FALSE;
    }
  return TRUE;
}

/* Loading ------------------------------------------------------------- */

static gboolean
demo_run_day (DemoState  *state,
              guint       day,
              GError    **error)
{
  if ((day == 0 && !demo_open_stock (state, error)) ||
      !demo_deliveries (state, day, error) ||
      (day == RUN_DOWN_DAY && !demo_start_run_down (state, day, error)) ||
      !demo_refill_shelves (state, day, error) ||
      !demo_sell (state, day, error) ||
      !demo_return (state, day, error) ||
      !demo_adjust (state, day, error))
    return FALSE;

  demo_reorder (state, day);
  return TRUE;
}

static gboolean
demo_build (DemoState  *state,
            guint32     seed,
            GError    **error)
{
  g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT32_FORMAT, seed);

  /* The marker lets the app offer to clear the demo before real work. */
  if (!omni_store_set_setting (state->store, "currency", "USD", error) ||
      !omni_store_set_setting (state->store, "demo_seed", seed_text, error))
    return FALSE;

  if ((state->location[FLOOR] = demo_location (state, "Shop Floor", TRUE, error)) == 0 ||
      (state->location[BACK] = demo_location (state, "Back Room", FALSE, error)) == 0)
    return FALSE;

  if (!demo_create_catalog (state, error))
    return FALSE;

  for (guint day = 0; day < HISTORY_DAYS; day++)
    if (!demo_run_day (state, day, error))
      return FALSE;
  return TRUE;
}

/**
 * omni_store_load_demo_until:
 * @store: an empty store
 * @seed: the generator's seed; the same seed gives the same shop and history
 * @end_us: when the history ends (its last day is the day before), UTC
 *   microseconds since the epoch
 * @error: return location for an #OmniStoreError
 *
 * Fills an empty store with Fernwood Outfitters: two locations, about forty
 * products, ninety days of deliveries, shelf refills, till sales, returns and
 * write-offs. All or nothing, in one transaction. A store that already has
 * products is refused with %OMNI_STORE_ERROR_CONFLICT and left as it was.
 *
 * Returns: %TRUE when the demo was loaded
 */
gboolean
omni_store_load_demo_until (OmniStore  *store,
                            guint32     seed,
                            gint64      end_us,
                            GError    **error)
{
  g_auto(DemoState) state = { 0 };

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (end_us > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!omni_store_begin (store, error))
    goto fail;

  /* Checked inside the write transaction, so two windows racing to load the
   * demo cannot both succeed. */
  if (!omni_store_is_empty (store))
    {
      omni_store_rollback (store);
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                           "The demo shop loads only into an empty database; "
                           "this one already has products");
      return FALSE;
    }

  demo_state_init (&state, store, seed, end_us);
  if (!demo_build (&state, seed, error))
    {
      omni_store_rollback (store);
      goto fail;
    }
  if (!omni_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  g_prefix_error (error, "Could not load the demo shop: ");
  return FALSE;
}

/**
 * omni_store_load_demo:
 *
 * omni_store_load_demo_until() with a history that ends now.
 */
gboolean
omni_store_load_demo (OmniStore  *store,
                      guint32     seed,
                      GError    **error)
{
  return omni_store_load_demo_until (store, seed, g_get_real_time (), error);
}
