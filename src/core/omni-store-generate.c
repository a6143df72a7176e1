/* omni-store-generate.c: realistic large catalogs for benchmarks and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a whole shop into an empty store: locations, products with 1–3
 * options, variants with SKUs and EAN-13 barcodes, their search entries,
 * opening stock, then a year of orders, till sales, deliveries, counts and
 * transfers. Text mixes English, French, German, Danish, Spanish and Italian
 * words, accents included, so substring search meets what merchants type.
 *
 * It is fast because it writes many rows per transaction through its own
 * prepared statements, and it stays exact because it writes the same rows the
 * store's writers do: every stock change is an INSERT into `movements`, whose
 * trigger keeps the levels, totals and alerts, and every variant gets the same
 * folded search entry omni-store-catalog.c writes.
 */
#define G_LOG_DOMAIN "omni-store"

#include "config.h"

#include <string.h>

#include "omni-store-generate.h"
#include "omni-store-private.h"
#include "omni-text.h"

#define DAY_US              (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define CATALOG_DAYS        30
#define DEFAULT_DAYS        365
#define MAX_LINES           3
#define MAX_VALUES          6
#define MAX_COMBOS          24
#define STOCKED_TRIES       24
/* 512 MiB of page cache while generating: a million variants, their levels
 * and the ledger's index stay in memory, so the trigger never waits on disk. */
#define GENERATE_CACHE_KIB  524288

typedef enum
{
  LANG_EN,
  LANG_FR,
  LANG_DE,
  LANG_DA,
  LANG_ES,
  LANG_IT,
  N_LANGS,
} Lang;

/* Word lists ---------------------------------------------------------- */

typedef enum
{
  OPT_SIZE,
  OPT_SIZE_GENERIC,
  OPT_SIZE_TEXTILE,
  OPT_CAPACITY,
  OPT_WEIGHT,
  OPT_FORMAT,
  OPT_PAPER,
  OPT_COLOUR,
  OPT_MATERIAL,
  OPT_FINISH,
  OPT_FLAVOUR,
  OPT_SCENT,
  OPT_PACK,
  OPT_PLUG,
  OPT_NONE,
} OptionKind;

#define WORDS(...) (const char * const []) { __VA_ARGS__ }, \
                   G_N_ELEMENTS (((const char * const []) { __VA_ARGS__ }))

typedef struct
{
  const char         *names[N_LANGS];
  const char * const *values;
  guint               n_values;
  gboolean            scale;      /* ordered: a product offers a contiguous run */
} OptionTable;

static const OptionTable option_tables[] = {
  [OPT_SIZE] = { { "Size", "Taille", "Größe", "Størrelse", "Talla", "Taglia" },
                 WORDS ("XS", "S", "M", "L", "XL", "XXL"), TRUE },
  [OPT_SIZE_GENERIC] = { { "Size", "Taille", "Größe", "Størrelse", "Tamaño", "Misura" },
                         WORDS ("Small", "Medium", "Large", "Extra Large"), TRUE },
  [OPT_SIZE_TEXTILE] = { { "Size", "Dimensions", "Maße", "Mål", "Medidas", "Misure" },
                         WORDS ("40×40 cm", "50×50 cm", "60×60 cm", "130×170 cm",
                                "150×200 cm", "240×220 cm"), TRUE },
  [OPT_CAPACITY] = { { "Capacity", "Contenance", "Inhalt", "Indhold", "Capacidad", "Capacità" },
                     WORDS ("250 ml", "330 ml", "500 ml", "750 ml", "1 l"), TRUE },
  [OPT_WEIGHT] = { { "Weight", "Poids", "Gewicht", "Vægt", "Peso", "Peso" },
                   WORDS ("100 g", "250 g", "500 g", "1 kg", "2,5 kg"), TRUE },
  [OPT_FORMAT] = { { "Format", "Format", "Format", "Format", "Formato", "Formato" },
                   WORDS ("A6", "A5", "B5", "A4"), TRUE },
  [OPT_PAPER] = { { "Paper", "Papier", "Papier", "Papir", "Papel", "Carta" },
                  WORDS ("Dotted", "Lined", "Plain", "Kariert", "Quadrillé", "Pointillé"), FALSE },
  [OPT_COLOUR] = { { "Colour", "Couleur", "Farbe", "Farve", "Color", "Colore" },
                   WORDS ("Black", "White", "Navy", "Red", "Forest Green", "Sand", "Charcoal",
                          "Ochre", "Sky Blue", "Crème", "Écru", "Bleu Marine", "Rouge",
                          "Rosé", "Bordeaux", "Anthrazit", "Grün", "Senfgelb", "Sølv", "Blå",
                          "Rød", "Havgrøn", "Negro", "Blanco", "Terracota", "Verde Salvia",
                          "Azzurro", "Grigio", "Café au lait", "Pétrole"), FALSE },
  [OPT_MATERIAL] = { { "Material", "Matière", "Material", "Materiale", "Material", "Materiale" },
                     WORDS ("Cotton", "Linen", "Merino", "Cachemire", "Baumwolle", "Leinen",
                            "Uld", "Algodón", "Seta", "Bamboo", "Recycled Polyester", "Soie",
                            "Hør"), FALSE },
  [OPT_FINISH] = { { "Finish", "Finition", "Oberfläche", "Finish", "Acabado", "Finitura" },
                   WORDS ("Matte", "Glossy", "Satiné", "Gebürstet", "Poli", "Natur",
                          "Émaillé"), FALSE },
  [OPT_FLAVOUR] = { { "Flavour", "Parfum", "Geschmack", "Smag", "Sabor", "Gusto" },
                    WORDS ("Vanille", "Crème brûlée", "Café", "Noisette", "Zitrone",
                           "Framboise", "Pistache", "Lakrids", "Chocolate", "Fragola",
                           "Dulce de leche", "Hyldeblomst"), FALSE },
  [OPT_SCENT] = { { "Scent", "Senteur", "Duft", "Duft", "Aroma", "Profumo" },
                  WORDS ("Lavande", "Rose", "Zeder", "Bergamotte", "Fig", "Néroli",
                         "Vétiver", "Hav", "Ambre", "Fleur d'oranger"), FALSE },
  [OPT_PACK] = { { "Pack", "Lot", "Packung", "Pakke", "Paquete", "Confezione" },
                 WORDS ("Single", "2-pack", "3-pack", "6-pack"), TRUE },
  [OPT_PLUG] = { { "Plug", "Prise", "Stecker", "Stik", "Enchufe", "Spina" },
                 WORDS ("EU", "UK", "US", "CH"), FALSE },
};

typedef struct
{
  const char         *type;
  const char * const *nouns;
  guint               n_nouns;
  const char * const *descriptors;   /* materials, or origins for food and beauty */
  guint               n_descriptors;
  OptionKind          options[3];
  int                 price_min;     /* minor units */
  int                 price_max;
  int                 weight_min;    /* grams */
  int                 weight_max;
} Category;

#define MATERIALS WORDS ("Cotton", "Linen", "Wool", "Merino", "Cashmere", "Silk", "Leather", \
                         "Suede", "Denim", "Bamboo", "Oak", "Walnut", "Ceramic", "Porcelain", \
                         "Stoneware", "Glass", "Copper", "Brass", "Cork", "Hemp", "Velvet", \
                         "Tweed", "Crème", "Laine", "Lin", "Soie", "Cuir", "Grès", "Baumwolle", \
                         "Leinen", "Wolle", "Eiche", "Messing", "Læder", "Uld", "Hør", \
                         "Algodón", "Lana", "Seda", "Cuoio", "Lino", "Terracotta")
#define ORIGINS WORDS ("Éthiopie", "Colombia", "Sicilia", "Provence", "Bretagne", "Bayern", \
                       "Skåne", "Jylland", "Andalucía", "Toscana", "Ceylon", "Darjeeling", \
                       "Normandie", "Schwarzwald", "Bornholm", "Galicia", "Piemonte")

static const Category categories[] = {
  { "Apparel",
    WORDS ("T-Shirt", "Tee", "Hoodie", "Sweater", "Cardigan", "Shirt", "Dress", "Jacket",
           "Trousers", "Shorts", "Pull", "Chemise", "Robe", "Veste", "Pullover", "Hemd",
           "Jacke", "Kjole", "Trøje", "Camiseta", "Vestido", "Camicia", "Maglione"),
    MATERIALS, { OPT_SIZE, OPT_COLOUR, OPT_MATERIAL }, 1500, 14900, 120, 900 },
  { "Accessories",
    WORDS ("Scarf", "Beanie", "Cap", "Gloves", "Belt", "Wallet", "Tote Bag", "Backpack",
           "Écharpe", "Bonnet", "Sac", "Mütze", "Schal", "Handschuhe", "Tørklæde", "Hue",
           "Bufanda", "Cartera", "Borsa"),
    MATERIALS, { OPT_COLOUR, OPT_MATERIAL, OPT_SIZE_GENERIC }, 900, 9900, 40, 700 },
  { "Homeware",
    WORDS ("Vase", "Candle Holder", "Bowl", "Tray", "Basket", "Mirror", "Clock", "Bougeoir",
           "Panier", "Kerzenhalter", "Spiegel", "Skål", "Lysestage", "Jarrón", "Cesto",
           "Vaso", "Specchio"),
    MATERIALS, { OPT_COLOUR, OPT_SIZE_GENERIC, OPT_FINISH }, 1200, 18900, 200, 4000 },
  { "Kitchen",
    WORDS ("Mug", "Cup", "Teapot", "Plate", "Carafe", "Tasse", "Théière", "Assiette",
           "Becher", "Teekanne", "Krus", "Kande", "Taza", "Tetera", "Tazza", "Caraffa"),
    MATERIALS, { OPT_COLOUR, OPT_CAPACITY, OPT_FINISH }, 600, 7900, 150, 1500 },
  { "Textiles",
    WORDS ("Blanket", "Throw", "Cushion Cover", "Tea Towel", "Apron", "Plaid", "Coussin",
           "Tablier", "Decke", "Kissen", "Schürze", "Pude", "Manta", "Cojín", "Coperta",
           "Cuscino"),
    MATERIALS, { OPT_SIZE_TEXTILE, OPT_COLOUR, OPT_MATERIAL }, 1200, 24900, 150, 2500 },
  { "Stationery",
    WORDS ("Notebook", "Journal", "Sketchbook", "Planner", "Carnet", "Cahier", "Notizbuch",
           "Kalender", "Notesbog", "Cuaderno", "Agenda", "Quaderno"),
    MATERIALS, { OPT_FORMAT, OPT_COLOUR, OPT_PAPER }, 400, 4900, 80, 600 },
  { "Food & Drink",
    WORDS ("Coffee", "Tea", "Chocolate", "Honey", "Granola", "Café", "Thé", "Chocolat",
           "Miel", "Kaffee", "Schokolade", "Honig", "Müsli", "Kaffe", "Honning", "Miele"),
    ORIGINS, { OPT_WEIGHT, OPT_FLAVOUR, OPT_PACK }, 350, 3900, 100, 2600 },
  { "Lighting",
    WORDS ("Lamp", "Pendant", "Lantern", "Lampe", "Suspension", "Leuchte", "Laterne",
           "Lámpara", "Lampada"),
    MATERIALS, { OPT_COLOUR, OPT_FINISH, OPT_PLUG }, 2900, 39900, 500, 6000 },
  { "Beauty",
    WORDS ("Soap", "Hand Cream", "Balm", "Savon", "Crème mains", "Seife", "Handcreme",
           "Sæbe", "Jabón", "Sapone"),
    ORIGINS, { OPT_SCENT, OPT_CAPACITY, OPT_PACK }, 450, 4900, 60, 800 },
};

static const char * const adjectives[] = {
  "Classic", "Vintage", "Rustic", "Modern", "Organic", "Handmade", "Everyday", "Essential",
  "Premium", "Nordic", "Alpine", "Coastal", "Urban", "Cosy", "Soft", "Bold", "Slim", "Relaxed",
  "Heritage", "Minimal", "Élégant", "Léger", "Doux", "Petit", "Grand", "Charmant", "Schön",
  "Gemütlich", "Klassisch", "Zeitlos", "Fröhlich", "Hyggelig", "Lys", "Mørk", "Blød", "Stærk",
  "Suave", "Clásico", "Rústico", "Bello", "Morbido", "Piccolo", "Elegante", "Très Chic",
};

static const char * const collections[] = {
  "Fjord", "Riviera", "Provence", "Bretagne", "Montmartre", "Bavaria", "Schwarzwald",
  "København", "Aarhus", "Sevilla", "Toscana", "Côte d'Azur", "Île-de-France", "Nørrebro",
  "Kreuzberg", "Málaga", "Lærke", "Søndag", "Été", "Hiver", "Frühling", "Verano", "Dolce Vita",
};

static const char * const tag_words[] = {
  "new", "sale", "bestseller", "eco", "limited", "summer", "winter", "gift", "handmade",
  "fair trade", "vegan", "bio", "édition limitée", "nachhaltig", "økologisk", "regalo",
  "fait main", "neu", "udsalg", "rebajas", "artigianale", "recycled", "local", "organic",
  "back in stock",
};

/* Vendor names: a person and a kind of business, whose language sets the
 * option names and the barcode's GS1 prefix. */
static const char * const vendor_people[] = {
  "Jürgen", "Søren", "Zoë", "Chloé", "Renée", "Björn", "Åsa", "Inés", "José", "François",
  "Anaïs", "Mette", "Ólafur", "Hélène", "Grégoire", "Måns", "Øystein", "Dörte", "Jörg",
  "Maëlle", "Noémie", "Ramón", "Begoña", "Niccolò", "Lucía", "Émile", "Clémence", "Benedikt",
  "Ingrid", "Astrid", "Sigrún", "Paloma", "Matteo", "Giulia", "Olivia", "Oliver", "Freya",
  "Henrik", "Thérèse", "Günther",
};

typedef struct
{
  const char *before;
  const char *after;
  Lang        lang;
} VendorForm;

static const VendorForm vendor_forms[] = {
  { "", " & Co", LANG_EN }, { "Atelier ", "", LANG_FR }, { "", " Werkstatt", LANG_DE },
  { "Maison ", "", LANG_FR }, { "", " Studio", LANG_EN }, { "Hus ", "", LANG_DA },
  { "", " Design", LANG_DA }, { "Casa ", "", LANG_ES }, { "", " Goods", LANG_EN },
  { "", " Handelshus", LANG_DA }, { "Bottega ", "", LANG_IT }, { "", " Trading", LANG_EN },
  { "Fabrik ", "", LANG_DE }, { "", " Supply", LANG_EN }, { "Taller ", "", LANG_ES },
};

/* GS1 prefixes by the vendor's country: UK, France, Germany, Denmark,
 * Spain, Italy. */
static const char * const gs1_prefixes[N_LANGS] = { "501", "340", "400", "570", "841", "800" };

static const char * const location_names[OMNI_GENERATE_MAX_LOCATIONS] = {
  "Main Warehouse", "Boutique Saint-Étienne", "Lager Düsseldorf", "København Butik",
  "Online Fulfilment",
};

static const char * const staff_names[] = {
  "Jürgen", "Søren", "Anaïs", "Mette", "Inés", "Oliver",
};

/* State ---------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *folded;
  char  code[4];
  Lang  lang;
} Vendor;

enum
{
  STMT_LOCATION,
  STMT_PRODUCT,
  STMT_OPTION,
  STMT_VARIANT,
  STMT_SEARCH,
  STMT_SEARCH_RANK,
  STMT_SEARCH_DIGITS,
  STMT_MOVEMENT,
  STMT_ORDER,
  STMT_ORDER_LINE,
  STMT_LINE_INFO,
  N_STMTS,
};

static const char * const statement_sql[N_STMTS] = {
  [STMT_LOCATION] = "INSERT INTO locations (name, is_default, created_at) VALUES (?1, ?2, ?3)",
  [STMT_PRODUCT] = "INSERT INTO products (handle, title, body, vendor, product_type, tags,"
                   " status, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
  [STMT_OPTION] = "INSERT INTO product_options (product_id, position, name) VALUES (?1, ?2, ?3)",
  [STMT_VARIANT] = "INSERT INTO variants (product_id, position, sku, barcode, option1, option2,"
                   " option3, price, compare_at_price, cost, weight_grams, reorder_point,"
                   " reorder_qty, archived, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?14)",
  [STMT_SEARCH] = "INSERT INTO search_index (rowid, title, sku, barcode, vendor, tags)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_SEARCH_RANK] = "INSERT INTO search_ranks (variant_id, rank) VALUES (?1, ?2)",
  [STMT_SEARCH_DIGITS] = OMNI_SEARCH_DIGITS_INSERT,
  /* The same row omni_store_record_movements() writes: the movements_apply
   * trigger moves the level, the variant's totals and the alerts with it. */
  [STMT_MOVEMENT] = "INSERT INTO movements (op_id, variant_id, location_id, on_hand_delta,"
                    " committed_delta, reason, source, reference, note, actor, created_at,"
                    " operation)"
                    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, NULL, ?8, ?9, ?10)",
  [STMT_ORDER] = "INSERT INTO orders (channel_id, remote_id, name, currency, status, total,"
                 " location_id, placed_at, created_at)"
                 " VALUES (NULL, ?1, ?2, ?3, 'fulfilled', ?4, ?5, ?6, ?6)",
  [STMT_ORDER_LINE] = "INSERT INTO order_lines (order_id, remote_line_id, variant_id, sku,"
                      " title, quantity, price, fulfilled)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
  [STMT_LINE_INFO] = "SELECT v.sku, p.title || ' - ' || trim (ifnull (v.option1, '')"
                     " || ifnull (' / ' || v.option2, '') || ifnull (' / ' || v.option3, '')),"
                     " v.price"
                     " FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
};

typedef struct
{
  OmniStore              *store;
  sqlite3                *db;
  const OmniGenerateSpec *spec;
  GRand                  *rand;
  OmniGenerateProgress    progress;
  gpointer                user_data;
  GCancellable           *cancellable;
  sqlite3_stmt           *stmts[N_STMTS];

  guint                   batch_rows;
  guint                   batch_count;
  gboolean                in_tx;
  gint64                  saved_cache_size;

  gint64                  location_ids[OMNI_GENERATE_MAX_LOCATIONS];
  guint                   n_locations;
  GPtrArray              *vendors;
  GHashTable             *handles;
  char                   *currency;

  /* Per variant, by serial (0 … variants-1): id, reorder rule, and the stock
   * the ledger will show, so sales never take what is not on the shelf. */
  gint64                 *variant_ids;
  gint32                 *reorder_point;
  gint32                 *reorder_qty;
  gint32                 *stock;           /* [serial * n_locations + location] */
  guint8                 *queued;          /* waiting for a delivery */
  GArray                 *restock;         /* guint32 level slots, FIFO */
  guint                   restock_head;
  gint64                  variants_done;
  gint64                  popular_step;    /* spreads popularity over the catalog */

  guint8                 *lines_per_order;
  gint64                  order_lines;
  gint64                  movements_done;
  gint64                  opening_cap;
  gint64                  history_total;
  gint64                  history_done;
  gint64                  orders_done;

  gint64                  start_us;        /* history begins */
  gint64                  catalog_us;      /* catalog begins */
  gint64                  cached_day;
  char                    day_text[16];
  char                    time_text[40];
} Gen;

static void
gen_clear (Gen *g)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&g->stmts[i], sqlite3_finalize);
  g_clear_pointer (&g->rand, g_rand_free);
  g_clear_pointer (&g->vendors, g_ptr_array_unref);
  g_clear_pointer (&g->handles, g_hash_table_unref);
  g_clear_pointer (&g->restock, g_array_unref);
  g_clear_pointer (&g->currency, g_free);
  g_clear_pointer (&g->variant_ids, g_free);
  g_clear_pointer (&g->reorder_point, g_free);
  g_clear_pointer (&g->reorder_qty, g_free);
  g_clear_pointer (&g->stock, g_free);
  g_clear_pointer (&g->queued, g_free);
  g_clear_pointer (&g->lines_per_order, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Gen, gen_clear)

static void
vendor_free (gpointer data)
{
  Vendor *vendor = data;

  g_free (vendor->name);
  g_free (vendor->folded);
  g_free (vendor);
}

/* Small helpers -------------------------------------------------------- */

static guint
below (Gen   *g,
       guint  n)
{
  return n <= 1 ? 0 : (guint)g_rand_int_range (g->rand, 0, (gint32)n);
}

static gboolean
chance (Gen  *g,
        guint percent)
{
  return below (g, 100) < percent;
}

/* A popular variant more often than not: the cube of a uniform number puts
 * nearly half the picks on a tenth of the catalog, spread over it by a step
 * coprime with its size. */
static guint32
pick_popular (Gen *g)
{
  double u = g_rand_double (g->rand);
  guint64 rank = (guint64)((double)g->variants_done * u * u * u);

  return (guint32)((rank * (guint64)g->popular_step + 7) % (guint64)g->variants_done);
}

static guint
pick_location (Gen *g)
{
  /* The default location is the busiest. */
  if (g->n_locations == 1 || chance (g, 45))
    return 0;
  return 1 + below (g, g->n_locations - 1);
}

static const char *
pick_actor (Gen *g)
{
  return staff_names[below (g, G_N_ELEMENTS (staff_names))];
}

/* The store's time format (_omni_store_format_time), with the date part
 * formatted once a day: the history writes millions of times in order. */
static const char *
format_time (Gen    *g,
             gint64  time_us)
{
  gint64 day = time_us / DAY_US;
  gint64 rest = time_us - day * DAY_US;
  gint64 seconds = rest / G_USEC_PER_SEC;

  g_assert (time_us >= 0);
  if (day != g->cached_day)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day * 86400);
      g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d");

      g_strlcpy (g->day_text, date, sizeof g->day_text);
      g->cached_day = day;
    }

  g_snprintf (g->time_text, sizeof g->time_text, "%sT%02d:%02d:%02d.%06dZ",
              g->day_text, (int)(seconds / 3600), (int)(seconds / 60 % 60),
              (int)(seconds % 60), (int)(rest % G_USEC_PER_SEC));
  return g->time_text;
}

static gboolean
run_stmt (Gen           *g,
          sqlite3_stmt  *stmt,
          const char    *what,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _omni_store_set_error (g->store, error, sqlite3_extended_errcode (g->db), what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Transactions --------------------------------------------------------- */

static gboolean
batch_begin (Gen     *g,
             GError **error)
{
  if (g->in_tx)
    return TRUE;
  if (!omni_store_begin (g->store, error))
    return FALSE;
  g->in_tx = TRUE;
  g->batch_count = 0;
  return TRUE;
}

static void
report (Gen               *g,
        OmniGeneratePhase  phase)
{
  if (g->progress == NULL)
    return;
  if (phase == OMNI_GENERATE_PHASE_CATALOG)
    g->progress (phase, g->variants_done, g->spec->variants, g->user_data);
  else
    g->progress (phase, g->history_done, g->history_total, g->user_data);
}

/* Commits once the batch is full (or when @force), at a boundary where the
 * database is whole: a product with all its variants and opening stock, an
 * order with all its lines and sales, a transfer with both legs. */
static gboolean
batch_end (Gen                *g,
           OmniGeneratePhase   phase,
           gboolean            force,
           GError            **error)
{
  if (!g->in_tx || (!force && g->batch_count < g->batch_rows))
    return TRUE;

  g->in_tx = FALSE;
  if (!omni_store_commit (g->store, error))
    return FALSE;
  report (g, phase);
  return TRUE;
}

/* Reads and sets the page cache size: PRAGMA takes no bound parameters, and
 * the value is an integer of ours. */
static gboolean
set_cache_size (Gen     *g,
                gint64   kib,
                GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, kib);

  return _omni_store_exec (g->store, sql, error);
}

static gint64
get_cache_size (Gen *g)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -2000;

  if (sqlite3_prepare_v2 (g->db, "PRAGMA cache_size", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Set-up --------------------------------------------------------------- */

static gboolean
validate_spec (const OmniGenerateSpec  *spec,
               GError                 **error)
{
  const char *problem = NULL;

  if (spec->variants < 1 || spec->variants > OMNI_GENERATE_MAX_VARIANTS)
    problem = "The number of variants must be from 1 to 10,000,000";
  else if (spec->locations < 1 || spec->locations > OMNI_GENERATE_MAX_LOCATIONS)
    problem = "The number of locations must be from 1 to 5";
  else if (spec->movements < 0 || spec->movements > OMNI_GENERATE_MAX_MOVEMENTS)
    problem = "The number of movements must be from 0 to 100,000,000";
  else if (spec->orders < 0 || spec->orders > OMNI_GENERATE_MAX_ORDERS)
    problem = "The number of orders must be from 0 to 10,000,000";
  else if (spec->history_days > 3650)
    problem = "The history can be at most 3650 days long";

  if (problem != NULL)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID, problem);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_empty (Gen     *g,
               GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean empty = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (g->db,
                           "SELECT NOT (EXISTS (SELECT 1 FROM products)"
                           " OR EXISTS (SELECT 1 FROM locations)"
                           " OR EXISTS (SELECT 1 FROM movements)"
                           " OR EXISTS (SELECT 1 FROM orders))",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      empty = sqlite3_column_int (stmt, 0) != 0;
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    _omni_store_set_error (g->store, error, rc, "Could not look into the database");
  sqlite3_finalize (stmt);

  if (rc == SQLITE_OK && !empty)
    g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_CONFLICT,
                 "“%s” already holds products, locations, movements or orders; "
                 "generate into a new database file", omni_store_get_path (g->store));
  return rc == SQLITE_OK && empty;
}

static gboolean
prepare_statements (Gen     *g,
                    GError **error)
{
  for (guint i = 0; i < N_STMTS; i++)
    {
      int rc = sqlite3_prepare_v3 (g->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                   &g->stmts[i], NULL);
      if (rc != SQLITE_OK)
        {
          _omni_store_set_error (g->store, error, rc, "Could not prepare the generator");
          return FALSE;
        }
    }
  return TRUE;
}

/* The count of each order's lines is drawn first, from its own sequence, so
 * the spec can be checked before anything is written. */
static void
draw_order_lines (Gen *g)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g->spec->seed ^ 0x9E3779B9u);

  g->lines_per_order = g_new (guint8, MAX (g->spec->orders, 1));
  for (gint64 i = 0; i < g->spec->orders; i++)
    {
      guint r = (guint)g_rand_int_range (rand, 0, 100);

      g->lines_per_order[i] = r < 60 ? 1 : r < 85 ? 2 : 3;
      g->order_lines += g->lines_per_order[i];
    }
}

static gint64
coprime_step (gint64 n)
{
  gint64 k = 2654435761 % MAX (n, 1);

  for (;; k++)
    {
      gint64 a = MAX (k, 1), b = n;

      while (b != 0)
        {
          gint64 t = a % b;
          a = b;
          b = t;
        }
      if (a == 1)
        return MAX (k, 1);
    }
}

static void
make_vendors (Gen *g)
{
  guint n_people = G_N_ELEMENTS (vendor_people);
  guint n_forms = G_N_ELEMENTS (vendor_forms);
  guint n_all = n_people * n_forms;
  guint n = (guint)CLAMP (g->spec->variants / 200, 5, 300);
  g_autofree guint *order = g_new (guint, n_all);

  for (guint i = 0; i < n_all; i++)
    order[i] = i;
  for (guint i = 0; i < n; i++)
    {
      guint j = i + below (g, n_all - i);
      guint k = order[j];
      const VendorForm *form = &vendor_forms[k % n_forms];
      Vendor *vendor = g_new0 (Vendor, 1);
      guint c = 0;

      order[j] = order[i];
      order[i] = k;
      vendor->name = g_strconcat (form->before, vendor_people[k / n_forms], form->after, NULL);
      vendor->folded = omni_text_fold (vendor->name);
      vendor->lang = form->lang;
      for (const char *p = vendor->folded; *p && c < 3; p++)
        if (g_ascii_isalpha (*p))
          vendor->code[c++] = g_ascii_toupper (*p);
      g_ptr_array_add (g->vendors, vendor);
    }
}

static gboolean
make_locations (Gen     *g,
                GError **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_LOCATION];

  for (guint i = 0; i < g->spec->locations; i++)
    {
      sqlite3_bind_text (stmt, 1, location_names[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, i == 0);
      bind_text (stmt, 3, format_time (g, g->catalog_us));
      if (!run_stmt (g, stmt, "Could not create a location", error))
        return FALSE;
      g->location_ids[i] = sqlite3_last_insert_rowid (g->db);
    }
  g->n_locations = g->spec->locations;
  return TRUE;
}

/* Products ------------------------------------------------------------- */

typedef struct
{
  const Category    *category;
  const Vendor      *vendor;
  char              *title;
  char              *handle;
  char              *tags;
  char              *tags_folded;
  guint              n_options;
  OptionKind         kinds[3];
  guint              n_values[3];
  guint              values[3][MAX_VALUES];
  char               codes[3][MAX_VALUES][8];
  guint              n_variants;
  OmniMoney          price;
  OmniMoney          compare_at;
  gint64             time_us;
} Product;

static void
product_clear (Product *p)
{
  g_free (p->title);
  g_free (p->handle);
  g_free (p->tags);
  g_free (p->tags_folded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Product, product_clear)

static char *
make_title (Gen            *g,
            const Category *category)
{
  const char *adjective = adjectives[below (g, G_N_ELEMENTS (adjectives))];
  const char *descriptor = category->descriptors[below (g, category->n_descriptors)];
  const char *noun = category->nouns[below (g, category->n_nouns)];

  if (chance (g, 35))
    return g_strdup_printf ("%s %s %s - %s", adjective, descriptor, noun,
                            collections[below (g, G_N_ELEMENTS (collections))]);
  return g_strdup_printf ("%s %s %s", adjective, descriptor, noun);
}

/* Tags in the form omni_text_normalize_tags() stores ("a, b"), so the index
 * written here and one rebuilt from the stored product agree. */
static char *
make_tags (Gen *g)
{
  g_autoptr(GString) tags = g_string_new (NULL);
  guint n = below (g, 5);
  guint first = below (g, G_N_ELEMENTS (tag_words));

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (tags, ", ");
      g_string_append (tags, tag_words[(first + i * 7) % G_N_ELEMENTS (tag_words)]);
    }
  return g_string_free (g_steal_pointer (&tags), FALSE);
}

static char *
make_handle (Gen        *g,
             const char *title)
{
  g_autofree char *slug = omni_text_slugify (title);
  char *handle = g_strdup (slug);

  for (guint n = 2; g_hash_table_contains (g->handles, handle); n++)
    {
      g_free (handle);
      handle = g_strdup_printf ("%s-%u", slug, n);
    }
  g_hash_table_add (g->handles, handle);
  return g_strdup (handle);
}

/* A short code for an option value inside a SKU: its first three letters or
 * digits, made unique among the product's values. */
static void
value_code (const char *value,
            char        code[8],
            char        taken[][8],
            guint       n_taken,
            guint       index)
{
  g_autofree char *folded = omni_text_fold (value);
  guint c = 0;

  for (const char *p = folded; *p && c < 3; p++)
    if (g_ascii_isalnum (*p))
      code[c++] = g_ascii_toupper (*p);
  code[c] = '\0';

  for (guint i = 0; i < n_taken; i++)
    if (strcmp (taken[i], code) == 0)
      {
        g_snprintf (code + c, 8 - c, "%u", index);
        break;
      }
}

static guint
pick_value_count (Gen        *g,
                  OptionKind  kind,
                  guint       position)
{
  const OptionTable *table = &option_tables[kind];
  guint max = MIN (table->n_values, MAX_VALUES);

  if (position == 0)
    return 1 + below (g, max);
  if (kind == OPT_COLOUR)
    return 1 + below (g, 4);
  return 1 + below (g, MIN (max, 2));
}

static void
pick_values (Gen     *g,
             Product *p,
             guint    position)
{
  const OptionTable *table = &option_tables[p->kinds[position]];
  guint n = p->n_values[position];
  guint chosen[64] = { 0 };
  guint n_all = table->n_values;

  g_assert (n_all <= G_N_ELEMENTS (chosen));
  if (table->scale)
    {
      guint first = below (g, n_all - n + 1);

      for (guint i = 0; i < n; i++)
        p->values[position][i] = first + i;
    }
  else
    {
      for (guint i = 0; i < n_all; i++)
        chosen[i] = i;
      for (guint i = 0; i < n; i++)
        {
          guint j = i + below (g, n_all - i);
          guint k = chosen[j];

          chosen[j] = chosen[i];
          chosen[i] = k;
          p->values[position][i] = k;
        }
    }

  for (guint i = 0; i < n; i++)
    value_code (table->values[p->values[position][i]], p->codes[position][i],
                p->codes[position], i, i + 1);
}

static void
make_options (Gen     *g,
              Product *p)
{
  guint r = below (g, 100);
  guint combos = 1;

  p->n_options = r < 35 ? 1 : r < 80 ? 2 : 3;
  for (guint i = 0; i < p->n_options; i++)
    {
      p->kinds[i] = p->category->options[i];
      p->n_values[i] = pick_value_count (g, p->kinds[i], i);
      /* Keep the matrix to a size merchants actually keep. */
      while (combos * p->n_values[i] > MAX_COMBOS && p->n_values[i] > 1)
        p->n_values[i]--;
      combos *= p->n_values[i];
      pick_values (g, p, i);
    }
  p->n_variants = combos;
}

static OmniMoney
round_price (gint64 minor)
{
  /* Shop prices end in .99 or .00. */
  gint64 whole = MAX (minor / 100, 1);

  return whole % 3 == 0 ? whole * 100 : whole * 100 - 1;
}

static void
make_product (Gen     *g,
              Product *p)
{
  const Category *category = &categories[below (g, G_N_ELEMENTS (categories))];
  gint64 price_span = category->price_max - category->price_min;

  p->category = category;
  p->vendor = g_ptr_array_index (g->vendors, below (g, g->vendors->len));
  p->title = make_title (g, category);
  p->handle = make_handle (g, p->title);
  p->tags = make_tags (g);
  p->tags_folded = omni_text_fold (p->tags);
  make_options (g, p);
  p->price = round_price (category->price_min + (gint64)below (g, (guint)price_span));
  p->compare_at = chance (g, 15) ? round_price (p->price * (120 + below (g, 30)) / 100) : -1;
  /* The catalog grows over the month before the history starts, in order,
   * so ledger positions follow time. */
  p->time_us = g->catalog_us + g->variants_done * (CATALOG_DAYS * DAY_US / g->spec->variants);
}

static gboolean
insert_product (Gen      *g,
                Product  *p,
                gint64   *product_id,
                GError  **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_PRODUCT];
  g_autofree char *body = g_strdup_printf ("%s, made by %s.", p->title, p->vendor->name);

  bind_text (stmt, 1, p->handle);
  bind_text (stmt, 2, p->title);
  bind_text (stmt, 3, body);
  bind_text (stmt, 4, p->vendor->name);
  bind_text (stmt, 5, p->category->type);
  bind_text (stmt, 6, p->tags);
  sqlite3_bind_text (stmt, 7, chance (g, 2) ? "draft" : "active", -1, SQLITE_STATIC);
  bind_text (stmt, 8, format_time (g, p->time_us));
  if (!run_stmt (g, stmt, "Could not create a product", error))
    return FALSE;
  *product_id = sqlite3_last_insert_rowid (g->db);

  stmt = g->stmts[STMT_OPTION];
  for (guint i = 0; i < p->n_options; i++)
    {
      sqlite3_bind_int64 (stmt, 1, *product_id);
      sqlite3_bind_int (stmt, 2, (int)i + 1);
      bind_text (stmt, 3, option_tables[p->kinds[i]].names[p->vendor->lang]);
      if (!run_stmt (g, stmt, "Could not create a product option", error))
        return FALSE;
    }
  g->batch_count += 1 + p->n_options;
  return TRUE;
}

/* Variants ------------------------------------------------------------- */

typedef struct
{
  const char *options[3];
  char        sku[64];
  char        barcode[16];
  gboolean    has_barcode;
  OmniMoney   cost;
  gint64      weight;
  gint64      reorder_point;
  gint64      reorder_qty;
} Variant;

/* GS1 check digit over the digits before it: weights 3, 1, 3, … from the
 * right. */
static char
gs1_check_digit (const char *digits,
                 gsize       len)
{
  int sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += (digits[len - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
  return (char)('0' + (10 - sum % 10) % 10);
}

static void
make_barcode (Gen      *g,
              Product  *p,
              Variant  *v)
{
  guint r = below (g, 100);
  gint64 serial = g->variants_done;

  v->has_barcode = r < 95;
  if (r < 90)
    {
      /* EAN-13: the vendor country's prefix, nine digits of serial. */
      g_snprintf (v->barcode, sizeof v->barcode, "%s%09" G_GINT64_FORMAT,
                  gs1_prefixes[p->vendor->lang], serial % 1000000000);
      v->barcode[12] = gs1_check_digit (v->barcode, 12);
      v->barcode[13] = '\0';
    }
  else if (r < 95)
    {
      /* UPC-A, as on goods imported from North America. */
      g_snprintf (v->barcode, sizeof v->barcode, "0%010" G_GINT64_FORMAT,
                  serial % 10000000000);
      v->barcode[11] = gs1_check_digit (v->barcode, 11);
      v->barcode[12] = '\0';
    }
}

static void
make_variant (Gen      *g,
              Product  *p,
              gint64    product_serial,
              guint     index,
              Variant  *v)
{
  g_autoptr(GString) sku = g_string_new (NULL);
  guint rest = index;

  g_string_append_printf (sku, "%s-%06" G_GINT64_FORMAT, p->vendor->code, product_serial);
  memset (v->options, 0, sizeof v->options);
  for (guint i = 0; i < p->n_options; i++)
    {
      guint k = rest % p->n_values[i];

      rest /= p->n_values[i];
      v->options[i] = option_tables[p->kinds[i]].values[p->values[i][k]];
      g_string_append_printf (sku, "-%s", p->codes[i][k]);
    }
  g_strlcpy (v->sku, sku->str, sizeof v->sku);
  make_barcode (g, p, v);

  v->cost = chance (g, 90) ? p->price * (35 + below (g, 26)) / 100 : -1;
  v->weight = p->category->weight_min +
              below (g, (guint)(p->category->weight_max - p->category->weight_min));
  if (chance (g, 70))
    {
      v->reorder_point = 2 + below (g, 14);
      v->reorder_qty = v->reorder_point * (2 + below (g, 4));
    }
  else
    v->reorder_point = v->reorder_qty = -1;
}

/* The search entry omni-store-catalog.c's write_index_row() writes: folded
 * title with the option values, SKU, barcode, vendor and tags. It goes to
 * the tail of the index, whole after each batch, and finish() renumbers
 * the index in title order (see omni-store-search.c). */
static gboolean
insert_search_row (Gen            *g,
                   gint64          variant_id,
                   const Product  *p,
                   const Variant  *v,
                   GError        **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_SEARCH];
  g_autofree char *full_title = NULL;
  g_autofree char *title_folded = NULL;
  g_autofree char *sku_folded = omni_text_fold (v->sku);
  g_autofree char *barcode_folded = omni_text_fold (v->has_barcode ? v->barcode : NULL);
  g_autofree char *grams = NULL;
  OmniSearchText text;

  full_title = g_strjoin (" ", p->title, v->options[0] ? v->options[0] : "",
                          v->options[1] ? v->options[1] : "",
                          v->options[2] ? v->options[2] : "", NULL);
  title_folded = omni_text_fold (full_title);
  text = (OmniSearchText) { title_folded, sku_folded, barcode_folded, p->vendor->folded,
                            p->tags_folded };

  sqlite3_bind_int64 (g->stmts[STMT_SEARCH_RANK], 1, variant_id);
  sqlite3_bind_int64 (g->stmts[STMT_SEARCH_RANK], 2, OMNI_SEARCH_RANK_TAIL + variant_id);
  if (!run_stmt (g, g->stmts[STMT_SEARCH_RANK], "Could not index a variant for search", error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, OMNI_SEARCH_RANK_TAIL + variant_id);
  bind_text (stmt, 2, text.title);
  bind_text (stmt, 3, text.sku);
  bind_text (stmt, 4, text.barcode);
  bind_text (stmt, 5, text.vendor);
  bind_text (stmt, 6, text.tags);
  if (!run_stmt (g, stmt, "Could not index a variant for search", error))
    return FALSE;

  /* its runs of digits beside it */
  grams = _omni_search_digit_grams (&text);
  if (grams == NULL)
    return TRUE;
  stmt = g->stmts[STMT_SEARCH_DIGITS];
  sqlite3_bind_int64 (stmt, 1, OMNI_SEARCH_RANK_TAIL + variant_id);
  bind_text (stmt, 2, grams);
  return run_stmt (g, stmt, "Could not index a variant for search", error);
}


/* The generator writes through SQLite directly, for speed. */
static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           index,
                  gint64        value)
{
  if (value < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static gboolean
insert_variant (Gen            *g,
                gint64          product_id,
                guint           position,
                const Product  *p,
                const Variant  *v,
                gint64         *variant_id,
                GError        **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_VARIANT];

  sqlite3_bind_int64 (stmt, 1, product_id);
  sqlite3_bind_int (stmt, 2, (int)position);
  bind_text (stmt, 3, v->sku);
  bind_text (stmt, 4, v->has_barcode ? v->barcode : NULL);
  for (int i = 0; i < 3; i++)
    bind_text (stmt, 5 + i, v->options[i]);
  sqlite3_bind_int64 (stmt, 8, p->price);
  bind_int_or_null (stmt, 9, p->compare_at);
  bind_int_or_null (stmt, 10, v->cost);
  sqlite3_bind_int64 (stmt, 11, v->weight);
  bind_int_or_null (stmt, 12, v->reorder_point);
  bind_int_or_null (stmt, 13, v->reorder_qty);
  bind_text (stmt, 14, format_time (g, p->time_us));
  if (!run_stmt (g, stmt, "Could not create a variant", error))
    return FALSE;

  *variant_id = sqlite3_last_insert_rowid (g->db);
  g->batch_count += 2;
  return insert_search_row (g, *variant_id, p, v, error);
}

/* Movements ------------------------------------------------------------ */

typedef struct
{
  guint32      serial;
  guint        location;
  gint64       delta;
  const char  *reason;
  const char  *source;
  const char  *reference;
  const char  *actor;
  const char  *op_id;        /* NULL: a generated one */
  const char  *operation;    /* NULL: the op_id */
  gint64       time_us;
} Move;

static gsize
slot (Gen     *g,
      guint32  serial,
      guint    location)
{
  return (gsize)serial * g->n_locations + location;
}

static gint64
restock_threshold (Gen     *g,
                   guint32  serial)
{
  return MAX (g->reorder_point[serial], 0);
}

/* Queues a level that fell to its reorder point for a later delivery, as a
 * merchant reorders. */
static void
maybe_queue_restock (Gen     *g,
                     guint32  serial,
                     guint    location)
{
  gsize s = slot (g, serial, location);
  guint32 value = (guint32)s;

  if (g->queued[s] || g->stock[s] > restock_threshold (g, serial))
    return;
  g->queued[s] = 1;
  g_array_append_val (g->restock, value);
}

static gboolean
write_move (Gen         *g,
            const Move  *m,
            GError     **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_MOVEMENT];
  char op_id[32];
  gsize s = slot (g, m->serial, m->location);

  g_assert (m->delta != 0);
  if (m->op_id == NULL)
    g_snprintf (op_id, sizeof op_id, "gen-%010" G_GINT64_FORMAT, g->movements_done + 1);

  bind_text (stmt, 1, m->op_id ? m->op_id : op_id);
  sqlite3_bind_int64 (stmt, 2, g->variant_ids[m->serial]);
  sqlite3_bind_int64 (stmt, 3, g->location_ids[m->location]);
  sqlite3_bind_int64 (stmt, 4, m->delta);
  sqlite3_bind_text (stmt, 5, m->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, m->source, -1, SQLITE_STATIC);
  bind_text (stmt, 7, m->reference);
  bind_text (stmt, 8, m->actor);
  bind_text (stmt, 9, format_time (g, m->time_us));
  bind_text (stmt, 10, m->operation ? m->operation : m->op_id ? m->op_id : op_id);
  if (!run_stmt (g, stmt, "Could not record a movement", error))
    return FALSE;

  g->stock[s] += (gint32)m->delta;
  g->movements_done++;
  g->batch_count++;
  if (m->delta < 0)
    maybe_queue_restock (g, m->serial, m->location);
  return TRUE;
}

/* Opening stock, imported when the variant was created: at its home location
 * and sometimes a second one; a few variants were never stocked. */
static gboolean
open_stock (Gen      *g,
            guint32   serial,
            gint64    time_us,
            GError  **error)
{
  guint home = g->n_locations == 1 || chance (g, 60) ? 0 : 1 + below (g, g->n_locations - 1);
  Move m = {
    .serial = serial, .reason = OMNI_REASON_IMPORT, .source = "import",
    .reference = "opening-stock.csv", .actor = staff_names[0], .time_us = time_us + G_USEC_PER_SEC,
  };

  if (chance (g, 3) || g->movements_done >= g->opening_cap)
    return TRUE;

  m.location = home;
  m.delta = 1 + below (g, (guint)MAX (restock_threshold (g, serial) * 3, 30));
  if (!write_move (g, &m, error))
    return FALSE;

  if (g->n_locations > 1 && chance (g, 35) && g->movements_done < g->opening_cap)
    {
      m.location = (home + 1 + below (g, g->n_locations - 1)) % g->n_locations;
      m.delta = 1 + below (g, 20);
      return write_move (g, &m, error);
    }
  return TRUE;
}

static gboolean
make_catalog (Gen     *g,
              GError **error)
{
  gint64 product_serial = 0;

  while (g->variants_done < g->spec->variants)
    {
      g_auto(Product) p = { 0 };
      gint64 product_id = 0;

      if (g_cancellable_set_error_if_cancelled (g->cancellable, error) ||
          !batch_begin (g, error))
        return FALSE;

      make_product (g, &p);
      p.n_variants = (guint)MIN ((gint64)p.n_variants, g->spec->variants - g->variants_done);
      if (!insert_product (g, &p, &product_id, error))
        return FALSE;

      for (guint i = 0; i < p.n_variants; i++)
        {
          guint32 serial = (guint32)g->variants_done;
          Variant v;

          make_variant (g, &p, product_serial + 1, i, &v);
          if (!insert_variant (g, product_id, i + 1, &p, &v, &g->variant_ids[serial], error))
            return FALSE;
          g->reorder_point[serial] = (gint32)v.reorder_point;
          g->reorder_qty[serial] = (gint32)v.reorder_qty;
          g->variants_done++;
          if (!open_stock (g, serial, p.time_us, error))
            return FALSE;
        }
      product_serial++;

      if (!batch_end (g, OMNI_GENERATE_PHASE_CATALOG, FALSE, error))
        return FALSE;
    }
  return batch_end (g, OMNI_GENERATE_PHASE_CATALOG, TRUE, error);
}

/* History -------------------------------------------------------------- */

/* A variant with stock at @location: popular ones first, then a walk from a
 * random place, so a sale only fails in a shop that is truly empty. */
static gboolean
pick_stocked (Gen           *g,
              guint          location,
              gint64         at_least,
              gboolean       walk,
              const guint32 *exclude,
              guint          n_exclude,
              guint32       *serial)
{
  guint32 n = (guint32)g->variants_done;

  guint32 start = 0;

  for (guint t = 0; t < STOCKED_TRIES + (walk ? n : 0); t++)
    {
      guint32 s;
      gboolean excluded = FALSE;

      if (t == STOCKED_TRIES)
        start = below (g, n);
      s = t < STOCKED_TRIES ? pick_popular (g) : (guint32)((start + t) % n);
      for (guint i = 0; i < n_exclude; i++)
        excluded |= exclude[i] == s;
      if (!excluded && g->stock[slot (g, s, location)] >= at_least)
        {
          *serial = s;
          return TRUE;
        }
    }
  return FALSE;
}

static gint64
sale_quantity (Gen    *g,
               gint64  available)
{
  guint r = below (g, 100);
  gint64 wanted = r < 75 ? 1 : r < 93 ? 2 : 3;

  return MAX (MIN (wanted, available), 1);
}

typedef struct
{
  guint32    serial;
  gint64     quantity;
  OmniMoney  price;
  char      *sku;
  char      *title;
} OrderLine;

static void
order_line_clear (OrderLine *line)
{
  g_clear_pointer (&line->sku, g_free);
  g_clear_pointer (&line->title, g_free);
}

static gboolean
read_line_info (Gen        *g,
                OrderLine  *line,
                GError    **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_LINE_INFO];
  int rc;

  sqlite3_bind_int64 (stmt, 1, g->variant_ids[line->serial]);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      line->sku = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      line->title = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      line->price = sqlite3_column_int64 (stmt, 2);
    }
  else
    _omni_store_set_error (g->store, error, rc, "Could not read a variant for an order");
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
insert_order (Gen              *g,
              const OrderLine  *lines,
              guint             n_lines,
              guint             location,
              const char       *remote_id,
              const char       *name,
              gint64            time_us,
              gint64           *order_id,
              GError          **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_ORDER];
  OmniMoney total = 0;

  for (guint i = 0; i < n_lines; i++)
    total += lines[i].quantity * lines[i].price;

  bind_text (stmt, 1, remote_id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, g->currency);
  sqlite3_bind_int64 (stmt, 4, total);
  sqlite3_bind_int64 (stmt, 5, g->location_ids[location]);
  bind_text (stmt, 6, format_time (g, time_us));
  if (!run_stmt (g, stmt, "Could not record an order", error))
    return FALSE;
  *order_id = sqlite3_last_insert_rowid (g->db);
  g->batch_count++;
  return TRUE;
}

static gboolean
insert_order_line (Gen              *g,
                   gint64            order_id,
                   guint             index,
                   const OrderLine  *line,
                   GError          **error)
{
  sqlite3_stmt *stmt = g->stmts[STMT_ORDER_LINE];
  char remote_line[16];

  g_snprintf (remote_line, sizeof remote_line, "%u", index + 1);
  sqlite3_bind_int64 (stmt, 1, order_id);
  bind_text (stmt, 2, remote_line);
  sqlite3_bind_int64 (stmt, 3, g->variant_ids[line->serial]);
  bind_text (stmt, 4, line->sku);
  bind_text (stmt, 5, line->title);
  sqlite3_bind_int64 (stmt, 6, line->quantity);
  sqlite3_bind_int64 (stmt, 7, line->price);
  g->batch_count++;
  return run_stmt (g, stmt, "Could not record an order line", error);
}

/* A shop order, fulfilled at once: the order, its lines and one `sold`
 * movement per line, with the op_id omni_store_record_order() gives it. */
static gboolean
make_order (Gen      *g,
            gint64    time_us,
            GError  **error)
{
  guint n_lines = g->lines_per_order[g->orders_done];
  guint location = pick_location (g);
  const char *actor = pick_actor (g);
  OrderLine lines[MAX_LINES] = { { 0 } };
  guint32 picked[MAX_LINES];
  char remote_id[32], name[32];
  gint64 order_id = 0;
  gboolean ok = TRUE;

  g_snprintf (remote_id, sizeof remote_id, "GEN-%07" G_GINT64_FORMAT, g->orders_done + 1);
  g_snprintf (name, sizeof name, "#%" G_GINT64_FORMAT, g->orders_done + 1001);

  for (guint i = 0; ok && i < n_lines; i++)
    {
      guint32 serial = 0;

      /* With no stock anywhere at the location the sale goes negative, as
       * an oversold order does. */
      if (!pick_stocked (g, location, 1, TRUE, picked, i, &serial))
        serial = pick_popular (g);
      picked[i] = lines[i].serial = serial;
      lines[i].quantity = sale_quantity (g, g->stock[slot (g, serial, location)]);
      ok = read_line_info (g, &lines[i], error);
    }

  ok = ok && insert_order (g, lines, n_lines, location, remote_id, name, time_us,
                           &order_id, error);
  for (guint i = 0; ok && i < n_lines; i++)
    {
      g_autofree char *op_id = g_strdup_printf ("order:0:%s:%u:sold", remote_id, i + 1);
      Move m = {
        .serial = lines[i].serial, .location = location, .delta = -lines[i].quantity,
        .reason = OMNI_REASON_SOLD, .source = "shop", .reference = name, .actor = actor,
        .op_id = op_id, .time_us = time_us,
      };

      ok = insert_order_line (g, order_id, i, &lines[i], error) && write_move (g, &m, error);
    }

  for (guint i = 0; i < n_lines; i++)
    order_line_clear (&lines[i]);
  if (ok)
    {
      g->orders_done++;
      g->history_done += n_lines;
    }
  return ok;
}

typedef enum
{
  EVENT_TILL_SALE,
  EVENT_DELIVERY,
  EVENT_TRANSFER,
  EVENT_COUNT,
  EVENT_CORRECTION,
  EVENT_RETURN,
  EVENT_DAMAGE,
  EVENT_LOSS,
} EventKind;

static EventKind
pick_event (Gen *g)
{
  /* Weights in percent: what a small shop's ledger holds in a year. */
  static const guint8 weights[] = { 44, 22, 8, 8, 6, 6, 4, 2 };
  guint r = below (g, 100);

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      if (r < weights[i])
        return (EventKind)i;
      r -= weights[i];
    }
  return EVENT_TILL_SALE;
}

/* The oldest level waiting for a delivery that still needs one, if any. */
static gboolean
next_restock (Gen      *g,
              guint32  *serial,
              guint    *location)
{
  while (g->restock_head < g->restock->len)
    {
      guint32 s = g_array_index (g->restock, guint32, g->restock_head++);

      g->queued[s] = 0;
      *serial = s / g->n_locations;
      *location = s % g->n_locations;
      if (g->stock[s] <= restock_threshold (g, *serial))
        return TRUE;
    }
  /* Drop what was consumed, so the queue stays as long as what waits. */
  g_array_set_size (g->restock, 0);
  g->restock_head = 0;
  return FALSE;
}

static gboolean
make_delivery (Gen      *g,
               Move     *m,
               GError  **error)
{
  char reference[24];

  g_snprintf (reference, sizeof reference, "PO-%06" G_GINT64_FORMAT, g->movements_done / 40);
  m->reason = OMNI_REASON_RECEIVED;
  m->source = "app";
  m->reference = reference;
  if (next_restock (g, &m->serial, &m->location))
    m->delta = g->reorder_qty[m->serial] > 0 ? (gint64)g->reorder_qty[m->serial]
                                             : 12 + (gint64)below (g, 24);
  else
    {
      m->serial = pick_popular (g);
      m->location = pick_location (g);
      m->delta = 6 + below (g, 43);
    }
  return write_move (g, m, error);
}

static gboolean
make_transfer (Gen      *g,
               Move     *m,
               GError  **error)
{
  char operation[40];
  guint to;

  m->location = pick_location (g);
  if (g->n_locations < 2 || !pick_stocked (g, m->location, 1, FALSE, NULL, 0, &m->serial))
    return make_delivery (g, m, error);

  to = (m->location + 1 + below (g, g->n_locations - 1)) % g->n_locations;
  g_snprintf (operation, sizeof operation, "gen-transfer-%010" G_GINT64_FORMAT,
              g->movements_done + 1);
  m->reason = OMNI_REASON_TRANSFER;
  m->source = "app";
  m->operation = operation;
  m->delta = -(1 + (gint64)below (g, (guint)MIN (g->stock[slot (g, m->serial, m->location)],
                                                  10)));
  if (!write_move (g, m, error))
    return FALSE;
  m->location = to;
  m->delta = -m->delta;
  return write_move (g, m, error);
}

/* A count or a correction finds a small difference either way, never taking
 * more than is there. */
static gboolean
make_difference (Gen      *g,
                 Move     *m,
                 gboolean  count,
                 GError  **error)
{
  gint64 have;
  gint64 size = 1 + below (g, count ? 3 : 5);

  m->serial = below (g, (guint)g->variants_done);
  m->location = pick_location (g);
  m->reason = count ? OMNI_REASON_COUNT : OMNI_REASON_CORRECTION;
  m->source = count ? "count" : "app";
  have = g->stock[slot (g, m->serial, m->location)];
  m->delta = have > 0 && chance (g, 60) ? -MIN (size, have) : size;
  return write_move (g, m, error);
}

/* Stock leaving without a sale or order: damage, loss. */
static gboolean
make_shrinkage (Gen        *g,
                Move       *m,
                const char *reason,
                GError    **error)
{
  m->location = pick_location (g);
  if (!pick_stocked (g, m->location, 1, FALSE, NULL, 0, &m->serial))
    return make_difference (g, m, FALSE, error);
  m->reason = reason;
  m->source = "app";
  m->delta = -1;
  return write_move (g, m, error);
}

static gboolean
make_till_sale (Gen      *g,
                Move     *m,
                GError  **error)
{
  m->location = pick_location (g);
  if (!pick_stocked (g, m->location, 1, FALSE, NULL, 0, &m->serial))
    return make_delivery (g, m, error);
  m->reason = OMNI_REASON_SOLD;
  m->source = "pos";
  m->delta = -sale_quantity (g, g->stock[slot (g, m->serial, m->location)]);
  return write_move (g, m, error);
}

/* One event of the day that is not an order; writes one movement, or two
 * for a transfer when @room allows. */
static gboolean
make_event (Gen      *g,
            gint64    time_us,
            gint64    room,
            GError  **error)
{
  EventKind kind = pick_event (g);
  Move m = { .actor = pick_actor (g), .time_us = time_us };
  gint64 before = g->movements_done;
  gboolean ok;

  if (kind == EVENT_TRANSFER && room < 2)
    kind = EVENT_DELIVERY;

  switch (kind)
    {
    case EVENT_TILL_SALE:
      ok = make_till_sale (g, &m, error);
      break;
    case EVENT_TRANSFER:
      ok = make_transfer (g, &m, error);
      break;
    case EVENT_COUNT:
    case EVENT_CORRECTION:
      ok = make_difference (g, &m, kind == EVENT_COUNT, error);
      break;
    case EVENT_RETURN:
      m.serial = pick_popular (g);
      m.location = pick_location (g);
      m.reason = OMNI_REASON_RETURNED;
      m.source = "shop";
      m.delta = 1;
      ok = write_move (g, &m, error);
      break;
    case EVENT_DAMAGE:
    case EVENT_LOSS:
      ok = make_shrinkage (g, &m, kind == EVENT_DAMAGE ? OMNI_REASON_DAMAGED
                                                       : OMNI_REASON_LOST, error);
      break;
    case EVENT_DELIVERY:
    default:
      ok = make_delivery (g, &m, error);
      break;
    }

  g->history_done += g->movements_done - before;
  return ok;
}

/* One day: its share of the orders and of the other movements, interleaved
 * evenly and in time order. */
static gboolean
make_day (Gen      *g,
          guint     day,
          guint     n_days,
          gint64    other_total,
          GError  **error)
{
  gint64 orders = g->spec->orders * (day + 1) / n_days - g->spec->orders * day / n_days;
  gint64 others = other_total * (day + 1) / n_days - other_total * day / n_days;
  gint64 step_us = DAY_US / (orders + others + 1);
  gint64 day_us = g->start_us + day * DAY_US;
  gint64 o = 0, b = 0;

  while (o < orders || b < others)
    {
      gint64 time_us = day_us + (o + b + 1) * step_us + below (g, (guint)MIN (step_us, G_MAXINT32));
      gint64 before = g->movements_done;

      if (g_cancellable_set_error_if_cancelled (g->cancellable, error) ||
          !batch_begin (g, error))
        return FALSE;

      if (b >= others || (o < orders && o * others <= b * orders))
        {
          if (!make_order (g, time_us, error))
            return FALSE;
          o++;
        }
      else
        {
          if (!make_event (g, time_us, others - b, error))
            return FALSE;
          b += g->movements_done - before;
        }

      if (!batch_end (g, OMNI_GENERATE_PHASE_HISTORY, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
make_history (Gen     *g,
              GError **error)
{
  guint n_days = g->spec->history_days > 0 ? g->spec->history_days : DEFAULT_DAYS;
  gint64 other_total = g->spec->movements - g->movements_done - g->order_lines;

  g->history_total = other_total + g->order_lines;
  report (g, OMNI_GENERATE_PHASE_HISTORY);
  for (guint day = 0; day < n_days; day++)
    if (!make_day (g, day, n_days, other_total, error))
      return FALSE;
  return batch_end (g, OMNI_GENERATE_PHASE_HISTORY, TRUE, error);
}

/* Finishing ------------------------------------------------------------ */

static gboolean
finish (Gen     *g,
        GError **error)
{
  if (g->progress != NULL)
    g->progress (OMNI_GENERATE_PHASE_FINISH, 0, 1, g->user_data);

  /* The search index in title order, in one go. */
  if (!omni_store_begin (g->store, error))
    return FALSE;
  if (!_omni_store_search_renumber (g->store, error))
    {
      omni_store_rollback (g->store);
      return FALSE;
    }
  if (!omni_store_commit (g->store, error))
    return FALSE;

  /* Statistics for the planner over the new data, then fold the WAL back so
   * the file on disk is the whole database. */
  if (!_omni_store_exec (g->store, "ANALYZE", error) ||
      !_omni_store_exec (g->store, "PRAGMA optimize", error) ||
      !_omni_store_exec (g->store, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;

  if (g->progress != NULL)
    g->progress (OMNI_GENERATE_PHASE_FINISH, 1, 1, g->user_data);
  return TRUE;
}

static gboolean
set_up (Gen                     *g,
        OmniStore               *store,
        const OmniGenerateSpec  *spec,
        GError                 **error)
{
  gint64 end_us = spec->end_us > 0 ? spec->end_us : g_get_real_time ();
  guint n_days = spec->history_days > 0 ? spec->history_days : DEFAULT_DAYS;
  gsize n_slots = (gsize)spec->variants * spec->locations;

  g->store = store;
  g->db = _omni_store_get_sqlite (store);
  g->spec = spec;
  g->cached_day = -1;
  g->batch_rows = spec->batch_rows > 0 ? spec->batch_rows : OMNI_GENERATE_DEFAULT_BATCH;
  g->start_us = end_us - n_days * DAY_US;
  g->catalog_us = g->start_us - CATALOG_DAYS * DAY_US;
  if (g->catalog_us < 0)
    {
      g_set_error_literal (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                           "The history would start before 1970");
      return FALSE;
    }

  draw_order_lines (g);
  if (spec->movements < g->order_lines)
    {
      g_set_error (error, OMNI_STORE_ERROR, OMNI_STORE_ERROR_INVALID,
                   "%" G_GINT64_FORMAT " orders have %" G_GINT64_FORMAT " lines, each one a "
                   "sale in the ledger: ask for at least that many movements, not %"
                   G_GINT64_FORMAT, spec->orders, g->order_lines, spec->movements);
      return FALSE;
    }
  g->opening_cap = spec->movements - g->order_lines;

  if (!require_empty (g, error) || !prepare_statements (g, error))
    return FALSE;

  g->rand = g_rand_new_with_seed (spec->seed);
  g->vendors = g_ptr_array_new_with_free_func (vendor_free);
  g->handles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->restock = g_array_new (FALSE, FALSE, sizeof (guint32));
  g->currency = omni_store_get_setting (store, "currency");
  g->variant_ids = g_new0 (gint64, spec->variants);
  g->reorder_point = g_new0 (gint32, spec->variants);
  g->reorder_qty = g_new0 (gint32, spec->variants);
  g->stock = g_new0 (gint32, n_slots);
  g->queued = g_new0 (guint8, n_slots);
  g->popular_step = coprime_step (spec->variants);
  g->saved_cache_size = get_cache_size (g);
  make_vendors (g);
  return set_cache_size (g, -GENERATE_CACHE_KIB, error);
}

/**
 * omni_store_generate:
 * @store: an empty store (no products, locations, movements or orders)
 * @spec: what to make
 * @progress: (nullable) (scope call): called after each committed batch
 * @cancellable: (nullable): stops the generation between two rows
 * @error: %OMNI_STORE_ERROR_INVALID for a spec out of bounds,
 *   %OMNI_STORE_ERROR_CONFLICT for a store that is not empty,
 *   %G_IO_ERROR_CANCELLED when cancelled
 *
 * Fills @store with a realistic shop of exactly @spec->variants active
 * variants, @spec->locations locations, @spec->movements ledger rows and
 * @spec->orders orders, the same for the same spec. Rows are written in
 * transactions of about @spec->batch_rows rows, each ending where the data is
 * whole: the levels always equal the sum of their movements, every variant
 * has its search entry, every order its lines and sales.
 *
 * Cancelling (or a failure) rolls back the batch under way and keeps the
 * batches already committed: the database is then consistent but partial.
 * Generate into a new file and delete it when a whole catalog is needed.
 *
 * Ends with `ANALYZE`, `PRAGMA optimize` and a WAL checkpoint.
 *
 * Returns: %TRUE when the whole catalog was written
 */
gboolean
omni_store_generate (OmniStore               *store,
                     const OmniGenerateSpec  *spec,
                     OmniGenerateProgress     progress,
                     gpointer                 user_data,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  g_auto(Gen) g = { 0 };
  gboolean ok;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!validate_spec (spec, error))
    return FALSE;

  g.progress = progress;
  g.user_data = user_data;
  g.cancellable = cancellable;
  ok = set_up (&g, store, spec, error);

  if (ok)
    {
      ok = batch_begin (&g, error) && make_locations (&g, error) &&
           make_catalog (&g, error) && make_history (&g, error);
      if (g.in_tx)
        {
          omni_store_rollback (store);
          g.in_tx = FALSE;
        }
      if (ok)
        {
          g_assert (g.movements_done == spec->movements);
          ok = finish (&g, error);
        }
    }

  if (g.saved_cache_size != 0)
    set_cache_size (&g, g.saved_cache_size, NULL);
  return ok;
}

const char *
omni_generate_phase_name (OmniGeneratePhase phase)
{
  switch (phase)
    {
    case OMNI_GENERATE_PHASE_CATALOG:
      return "catalog";
    case OMNI_GENERATE_PHASE_HISTORY:
      return "history";
    case OMNI_GENERATE_PHASE_FINISH:
      return "finish";
    default:
      return "unknown";
    }
}
