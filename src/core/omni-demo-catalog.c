/* omni-demo-catalog.c: what Fernwood Outfitters stocks, and how it restocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "omni-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "omni-demo-catalog.h"
#include "omni-store-demo.h"

#define MAX_VALUES 8

/* A small independent shop: apparel, home goods and stationery from eight
 * makers, with a few accented names so search and sorting get tried. */
typedef struct
{
  const char *name;
  const char *gs1_prefix;     /* 7 digits; the item number fills the barcode */
  guint       lead_days;      /* from purchase order to delivery */
} DemoVendor;

enum { FERNWOOD, NORTH_LOOM, HOLLOW_PINE, KILN, LARCH, INKWELL, JUERGEN, BRASS_BIRCH };

static const DemoVendor vendors[] = {
  { "Fernwood Basics", "0850011", 6 },
  { "North Loom", "0850024", 9 },
  { "Hollow Pine Co.", "0850037", 8 },
  { "Kiln & Co.", "0850042", 7 },
  { "Larch House", "0850058", 5 },
  { "Inkwell Press", "0850063", 5 },
  { "Papierwerk Jürgen", "4006381", 9 },
  { "Brass & Birch", "0850079", 6 },
};

/* Options are "Name:Label=CODE*weight+extra,…": CODE goes into the SKU (the
 * label, upper-cased, when omitted), weight is the label's share of sales
 * (1 when omitted) and extra is added to the price, in cents. */
typedef struct
{
  const char *code;
  const char *title;
  guint       vendor;
  const char *type;
  const char *tags;
  const char *status;         /* NULL: active */
  const char *options[3];
  gint64      price;
  gint64      cost_pct;
  gint64      compare_at;     /* 0: none */
  gint64      grams;
  gint64      reorder_point;  /* -1: none */
  gint64      reorder_qty;    /* -1: none */
  double      popularity;     /* share of the shop's sales; 0 never sells */
  gboolean    no_barcode;
  const char *body;
} DemoProduct;

static const DemoProduct catalog[] = {
  { "TEE", "Organic Cotton Tee", FERNWOOD, "Apparel", "tee, organic, cotton, bestseller", NULL,
    { "Colour:Oat=OAT*3,Forest=FOR*2,Charcoal=CHA*2,Rust=RST", "Size:XS,S*2,M*3,L*3,XL*2" },
    3200, 42, 0, 180, 4, 12, 14, FALSE, "Soft, heavy organic cotton, cut a little boxy." },
  { "PKT", "Heavyweight Pocket Tee", HOLLOW_PINE, "Apparel", "tee, workwear", NULL,
    { "Colour:Natural=NAT*2,Navy=NVY,Black=BLK*2", "Size:S,M*2,L*2,XL" },
    3800, 45, 0, 240, 3, 8, 6, FALSE, "A 260 gsm tee with a chest pocket that keeps its shape." },
  { "SWT", "Merino Crew Sweater", NORTH_LOOM, "Apparel", "knitwear, wool, merino", NULL,
    { "Colour:Oatmeal=OAT*2,Moss=MOS", "Size:S,M*2,L*2",
      "Material:Merino=MER*2+1800,Lambswool=LMB" },
    11000, 52, 0, 420, 2, 4, 4, FALSE, "Fully fashioned on a hand frame in the Borders." },
  { "JKT", "Canvas Chore Jacket", HOLLOW_PINE, "Apparel", "jacket, workwear, canvas", NULL,
    { "Colour:Duck=DCK*2,Black=BLK", "Size:S,M*2,L*2,XL" },
    14800, 50, 0, 950, 2, 4, 3, FALSE, "Twelve-ounce duck canvas that softens with wear." },
  { "LIN", "Linen Button-Down Shirt", FERNWOOD, "Apparel", "shirt, linen, sale", NULL,
    { "Colour:White=WHT*2,Sage=SGE", "Size:S,M*2,L*2,XL" },
    6800, 48, 8800, 260, 2, 6, 3, FALSE, "Washed linen, end of the season price." },
  { "HOD", "Garment-Dyed Hoodie", FERNWOOD, "Apparel", "hoodie, cotton, bestseller", NULL,
    { "Colour:Grey Marl=GRM*2,Navy=NVY", "Size:S,M*2,L*2,XL" },
    7200, 45, 0, 620, 3, 6, 5, FALSE, "Brushed-back fleece, dyed after sewing." },
  { "BNE", "Ribbed Wool Beanie", NORTH_LOOM, "Apparel", "hat, wool, gift", NULL,
    { "Colour:Mustard=MUS,Charcoal=CHA*2,Forest=FOR,Cream=CRM" },
    3400, 40, 0, 90, 3, 10, 6, FALSE, "Lambswool rib with a deep turn-up." },
  { "SCK", "Rib Knit Socks", NORTH_LOOM, "Apparel", "socks, wool, gift", NULL,
    { "Size:S/M=SM,L/XL=LXL", "Colour:Oat=OAT*2,Rust=RST,Forest=FOR" },
    1600, 38, 0, 70, 6, 18, 9, FALSE, "Wool-rich socks with a reinforced heel." },
  { "CHR", "Chore Trousers", HOLLOW_PINE, "Apparel", "trousers, workwear", NULL,
    { "Waist:30,32*2,34*2,36", "Leg:30,32" },
    9600, 50, 0, 700, 1, 3, 2, FALSE, "Relaxed trousers in cotton twill with a gusseted seat." },
  { "TOT", "Waxed Canvas Tote", HOLLOW_PINE, "Accessories", "bag, canvas, gift", NULL,
    { "Colour:Olive=OLV*2,Tan=TAN" },
    5800, 46, 0, 540, 2, 6, 5, FALSE, "Waxed cotton with leather handles; shrugs off rain." },
  { "WAL", "Leather Card Wallet", BRASS_BIRCH, "Accessories", "leather, wallet, gift", NULL,
    { "Colour:Tan=TAN*2,Black=BLK,Oxblood=OXB" },
    4500, 44, 0, 60, 3, 6, 4, FALSE, "Vegetable-tanned leather, four card slots." },
  { "PIN", "Enamel Pin Set", FERNWOOD, "Accessories", "pin, gift, small", NULL, { NULL },
    1400, 30, 0, 30, 5, 20, 4, FALSE, "Three hard-enamel pins: fern, fox and pine." },
  { "CAP", "Six-Panel Cap", FERNWOOD, "Accessories", "hat, cotton", NULL,
    { "Colour:Navy=NVY,Khaki=KHK*2,Forest=FOR" },
    3000, 40, 0, 110, 3, 8, 4, FALSE, "Washed cotton cap with a brass buckle." },
  { "SCF", "Lambswool Scarf", NORTH_LOOM, "Accessories", "scarf, wool, winter", NULL,
    { "Colour:Grey=GRY,Rust=RST" },
    5800, 50, 7200, 180, 2, 4, 0, FALSE, "A winter scarf that waits for the first frost." },
  { "KEY", "Brass Key Ring", BRASS_BIRCH, "Accessories", "brass, gift, small", NULL, { NULL },
    1800, 35, 0, 25, 4, 12, 3, FALSE, "Solid brass, darkens to a warm patina." },
  { "BPK", "Roll-Top Backpack", HOLLOW_PINE, "Accessories", "bag, canvas", NULL,
    { "Colour:Olive=OLV,Navy=NVY,Sand=SND" },
    16500, 52, 0, 1100, 1, 3, 1, FALSE, "Waxed canvas roll-top with a padded laptop sleeve." },
  { "MUG", "Café Crème Mug", KILN, "Home", "mug, ceramic, kitchen, bestseller", NULL,
    { "Colour:Cream=CRM*3,Sage=SGE*2,Speckled Blue=SPB*2,Charcoal=CHA" },
    2400, 40, 0, 380, 4, 12, 10, FALSE, "Thrown stoneware, holds a generous 350 ml." },
  { "BWL", "Stoneware Bowl", KILN, "Home", "bowl, ceramic, kitchen", NULL,
    { "Size:Small=SM*2,Large=LG+1200", "Colour:Cream=CRM,Sage=SGE" },
    2200, 42, 0, 450, 4, 12, 5, FALSE, "Reactive glaze, no two quite the same." },
  { "TWL", "Linen Tea Towel", LARCH, "Home", "linen, kitchen, gift", NULL,
    { "Pattern:Natural=NAT,Blue Stripe=BST,Rust Stripe=RST" },
    1800, 40, 0, 90, 4, 12, 6, FALSE, "Stone-washed linen that dries glasses without lint." },
  { "CDL", "Beeswax Candle", LARCH, "Home", "candle, gift, bestseller", NULL,
    { "Scent:Cedar=CED*2,Fig=FIG*2,Smoke & Amber=SMA,Unscented=UNS" },
    2800, 38, 0, 320, 4, 12, 7, FALSE, "Poured by hand; about 45 hours of burn." },
  { "THR", "Wool Throw Blanket", NORTH_LOOM, "Home", "blanket, wool, winter", NULL,
    { "Colour:Oat=OAT,Moss=MOS,Charcoal=CHA" },
    14500, 55, 16500, 1300, 1, 3, 1.5, FALSE, "Woven from undyed British wool." },
  { "PLN", "Ceramic Planter", KILN, "Home", "planter, ceramic", NULL,
    { "Size:Small=SM*2,Medium=MD+1000,Large=LG+2400" },
    2600, 44, 0, 600, 3, 6, 3, FALSE, "Matte glaze outside, sealed inside, with a drainage hole." },
  { "CSH", "Cotton Cushion Cover", LARCH, "Home", "cushion, cotton", NULL,
    { "Colour:Ochre=OCH,Slate=SLT", "Size:45 cm=45*2,50 cm=50+400" },
    3800, 45, 0, 250, 2, 6, 2, FALSE, "Heavy cotton with a hidden zip." },
  { "POS", "Pour-Over Coffee Set", KILN, "Home", "coffee, ceramic, gift", NULL, { NULL },
    6400, 50, 0, 900, 2, 4, 2, FALSE, "Dripper, server and two cups in speckled stoneware." },
  { "BRD", "Teak Serving Board", LARCH, "Home", "wood, kitchen", NULL,
    { "Size:Small=SM*2,Large=LG+1800" },
    4200, 48, 0, 800, 2, 4, 2, FALSE, "End-grain reclaimed teak, oiled." },
  { "CRF", "Glass Carafe", LARCH, "Home", "glass, kitchen", NULL, { NULL },
    3600, 45, 0, 700, 2, 6, 0, FALSE, "Mouth-blown, one litre." },
  { "RMK", "Crème Brûlée Ramekins, Set of 4", KILN, "Home", "ceramic, kitchen, gift", NULL,
    { NULL },
    3200, 44, 0, 900, 2, 6, 1.5, FALSE, "Oven-safe porcelain, 150 ml each." },
  { "FNT", "Jürgen's Field Notes", JUERGEN, "Stationery", "notebook, paper, bestseller",
    NULL, { "Ruling:Dot Grid=DOT*2,Lined=LIN,Plain=PLN", "Pack:Single=1*2,3-Pack=3+2200" },
    1200, 40, 0, 60, 6, 24, 8, FALSE, "48 pages of 90 gsm paper, stitched, made in Bavaria." },
  { "NBK", "A5 Hardcover Notebook", JUERGEN, "Stationery", "notebook, paper, bestseller", NULL,
    { "Ruling:Dot Grid=DOT*3,Lined=LIN*2,Plain=PLN,Squared=SQR",
      "Colour:Forest=FOR,Navy=NVY,Terracotta=TER" },
    2600, 45, 0, 340, 3, 10, 9, FALSE, "Lay-flat binding, 192 numbered pages." },
  { "PNB", "Pocket Notebook", INKWELL, "Stationery", "notebook, paper, small", NULL,
    { "Ruling:Dot Grid=DOT,Lined=LIN,Plain=PLN" },
    900, 38, 0, 40, 6, 24, 5, FALSE, "Fits a shirt pocket; kraft cover." },
  { "FPN", "Brass Fountain Pen", BRASS_BIRCH, "Stationery", "pen, brass, gift", NULL,
    { "Nib:Fine=F,Medium=M*2,Broad=B" },
    5800, 48, 0, 40, 2, 4, 3, FALSE, "Machined brass, takes standard international cartridges." },
  { "INK", "Bottled Ink, 50 ml", INKWELL, "Stationery", "ink, pen", NULL,
    { "Colour:Blue-Black=BBK*2,Sepia=SEP,Forest Green=FGR,Oxblood=OXB" },
    1600, 42, 0, 160, 3, 8, 4, FALSE, "Dye-based fountain pen ink, quick drying." },
  { "PLA", "Undated Weekly Planner", INKWELL, "Stationery", "planner, paper", NULL,
    { "Colour:Sand=SND,Slate=SLT" },
    2800, 45, 0, 420, 3, 8, 3, FALSE, "Start any week of the year; linen cover." },
  { "CRD", "Letterpress Greeting Card", INKWELL, "Stationery", "card, letterpress, gift", NULL,
    { "Design:Fern=FRN*2,Fox=FOX*2,Birthday=BDY*2,Thank You=THX,Blank=BLK" },
    650, 35, 0, 30, 6, 24, 6, TRUE, "Printed on cotton board in the back room of a print shop." },
  { "WSH", "Washi Tape Set", INKWELL, "Stationery", "tape, paper, small", NULL, { NULL },
    1200, 35, 0, 80, 4, 12, 3, FALSE, "Five rolls in woodland colours." },
  { "PCL", "Graphite Pencil Set", JUERGEN, "Stationery", "pencil, gift", NULL, { NULL },
    1400, 40, 0, 90, 4, 12, 3, FALSE, "Six cedar pencils from 2H to 4B in a tin." },
  { "RUL", "Brass Ruler, 15 cm", BRASS_BIRCH, "Stationery", "brass, desk", NULL, { NULL },
    2200, 45, 0, 70, 2, 6, 0, FALSE, "Etched metric scale." },
  { "ENV", "Kraft Envelopes, Pack of 25", INKWELL, "Stationery", "paper, envelope", NULL,
    { NULL },
    800, 35, 0, 200, 4, 12, 2, TRUE, "C6 recycled kraft, gummed flap." },
  { "DSK", "Desk Tidy", BRASS_BIRCH, "Stationery", "desk, wood", NULL,
    { "Wood:Natural Oak=OAK*2,Walnut=WAL+600" },
    4800, 50, 0, 500, -1, -1, 1, FALSE, "Solid wood tray with a pen groove." },
  { "SHO", "Summer Linen Shorts", FERNWOOD, "Apparel", "shorts, linen, summer", "archived",
    { "Size:S,M,L" },
    5400, 48, 0, 200, 2, 6, 0, FALSE, "Last summer's shorts; not coming back." },
  { "PRT", "Naïve Botanical Print", INKWELL, "Home", "print, art, new", "draft",
    { "Size:A4*2,A3+1500" },
    4000, 40, 0, 120, -1, -1, 0, TRUE, "Risograph print of ferns, arriving next month." },
};

typedef struct
{
  char   label[40];
  char   code[8];
  guint  weight;
  gint64 extra;
} DemoValue;

typedef struct
{
  char      name[24];
  guint     n_values;
  guint     total_weight;
  DemoValue values[MAX_VALUES];
} DemoAxis;

G_STATIC_ASSERT (G_N_ELEMENTS (vendors) <= OMNI_DEMO_MAX_VENDORS);

static void
parse_value (const char *spec,
             DemoValue  *value)
{
  const char *end = spec + strcspn (spec, "=*+");
  const char *p = end;

  g_strlcpy (value->label, spec, MIN ((gsize)(end - spec) + 1, sizeof value->label));
  g_strlcpy (value->code, value->label, sizeof value->code);
  value->weight = 1;
  value->extra = 0;

  while (*p != '\0')
    {
      char kind = *p++;
      gsize len = strcspn (p, "=*+");

      if (kind == '=')
        g_strlcpy (value->code, p, MIN (len + 1, sizeof value->code));
      else if (kind == '*')
        value->weight = (guint)g_ascii_strtoull (p, NULL, 10);
      else
        value->extra = g_ascii_strtoll (p, NULL, 10);
      p += len;
    }
  for (char *c = value->code; *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
}

static guint
parse_axes (const DemoProduct *product,
            DemoAxis           axes[3])
{
  guint n = 0;

  for (; n < 3 && product->options[n] != NULL; n++)
    {
      const char *colon = strchr (product->options[n], ':');
      g_auto(GStrv) values = NULL;

      g_assert (colon != NULL);
      values = g_strsplit (colon + 1, ",", MAX_VALUES);
      g_strlcpy (axes[n].name, product->options[n],
                 MIN ((gsize)(colon - product->options[n]) + 1, sizeof axes[n].name));
      axes[n].n_values = g_strv_length (values);
      axes[n].total_weight = 0;
      for (guint i = 0; i < axes[n].n_values; i++)
        {
          parse_value (values[i], &axes[n].values[i]);
          axes[n].total_weight += axes[n].values[i].weight;
        }
    }
  return n;
}

static guint
count_combinations (const DemoAxis *axes,
                    guint           n_axes)
{
  guint n = 1;

  for (guint i = 0; i < n_axes; i++)
    n *= axes[i].n_values;
  return n;
}

/**
 * omni_ean13_complete:
 * @digits: the first twelve digits of an EAN-13
 *
 * Returns: (transfer full) (nullable): @digits with the GS1 check digit
 *   appended, or %NULL when @digits is not exactly twelve ASCII digits
 */
char *
omni_ean13_complete (const char *digits)
{
  guint sum = 0;

  g_return_val_if_fail (digits != NULL, NULL);

  if (strlen (digits) != 12)
    return NULL;
  for (guint i = 0; i < 12; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return NULL;
      /* Weights alternate 1, 3, 1, … from the left of a 13-digit code. */
      sum += (guint)(digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }
  return g_strdup_printf ("%s%u", digits, (10 - sum % 10) % 10);
}

static void
item_clear (gpointer data)
{
  OmniDemoItem *item = data;

  g_free (item->sku);
  g_free (item->barcode);
  g_free (item->title);
  for (guint i = 0; i < 3; i++)
    g_free (item->options[i]);
}

static void
item_set_codes (OmniDemoItem   *item,
                const DemoAxis *axes,
                guint           n_axes,
                const guint    *index)
{
  const DemoProduct *p = &catalog[item->product];
  g_autoptr(GString) sku = g_string_new ("FW-");
  g_autoptr(GString) title = g_string_new (p->title);

  g_string_append (sku, p->code);
  for (guint i = 0; i < n_axes; i++)
    {
      const DemoValue *value = &axes[i].values[index[i]];

      g_string_append_printf (sku, "-%s", value->code);
      g_string_append (title, i == 0 ? " - " : " / ");
      g_string_append (title, value->label);
      item->options[i] = g_strdup (value->label);
    }
  item->sku = g_string_free (g_steal_pointer (&sku), FALSE);
  item->title = g_string_free (g_steal_pointer (&title), FALSE);
}

/* The catalog facts of combination @combo of product @product. */
static void
item_init (OmniDemoItem   *item,
           guint           product,
           const DemoAxis *axes,
           guint           n_axes,
           guint           combo)
{
  const DemoProduct *p = &catalog[product];
  g_autofree char *digits = NULL;
  guint index[3] = { 0, 0, 0 };
  gint64 extra = 0;
  double share = 1.0;

  /* The last option varies fastest, as a product page lists them. */
  for (guint i = n_axes, rest = combo; i-- > 0; rest /= axes[i].n_values)
    index[i] = rest % axes[i].n_values;
  for (guint i = 0; i < n_axes; i++)
    {
      share *= (double)axes[i].values[index[i]].weight / axes[i].total_weight;
      extra += axes[i].values[index[i]].extra;
    }

  memset (item, 0, sizeof *item);
  item->product = product;
  item_set_codes (item, axes, n_axes, index);
  if (!p->no_barcode)
    {
      digits = g_strdup_printf ("%s%05u", vendors[p->vendor].gs1_prefix, product * 40 + combo);
      item->barcode = omni_ean13_complete (digits);
    }
  item->price = p->price + extra;
  item->compare_at = p->compare_at > 0 ? p->compare_at + extra : -1;
  /* Cost to the nearest five cents, as wholesale price lists are. */
  item->cost = (item->price * p->cost_pct / 100 + 2) / 5 * 5;
  item->grams = p->grams;
  item->min_reorder_point = p->reorder_point;
  item->min_reorder_qty = p->reorder_qty;
  item->demand = p->status == NULL ? p->popularity * share : 0;

  item->vendor = p->vendor;
  item->lead_days = vendors[p->vendor].lead_days;
  item->stocked = g_strcmp0 (p->status, "archived") != 0;
  item->sellable = item->demand > 0;
  item->reorder_point = item->min_reorder_point;
  item->reorder_qty = item->min_reorder_qty;
}

/**
 * omni_demo_catalog_expand:
 *
 * Returns: (transfer full) (element-type OmniDemoItem): every variant of the
 *   catalog, grouped by product in catalog order
 */
GArray *
omni_demo_catalog_expand (void)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (OmniDemoItem));

  g_array_set_clear_func (items, item_clear);
  for (guint p = 0; p < G_N_ELEMENTS (catalog); p++)
    {
      DemoAxis axes[3];
      guint n_axes = parse_axes (&catalog[p], axes);
      guint n = count_combinations (axes, n_axes);

      for (guint combo = 0; combo < n; combo++)
        {
          OmniDemoItem item;

          item_init (&item, p, axes, n_axes, combo);
          g_array_append_val (items, item);
        }
    }
  return items;
}

/* The product as omni_store_create_product() takes it; option names point
 * into @axes. */
static void
product_spec (guint            index,
              OmniProductSpec *spec,
              DemoAxis         axes[3])
{
  const DemoProduct *p = &catalog[index];
  guint n_axes = parse_axes (p, axes);

  memset (spec, 0, sizeof *spec);
  for (guint i = 0; i < n_axes; i++)
    spec->option_names[i] = axes[i].name;
  spec->title = p->title;
  spec->body = p->body;
  spec->vendor = vendors[p->vendor].name;
  spec->product_type = p->type;
  spec->tags = p->tags;
  spec->status = p->status ? p->status : "active";
}

static void
variant_spec (const OmniDemoItem *item,
              OmniVariantSpec    *spec)
{
  memset (spec, 0, sizeof *spec);
  spec->sku = item->sku;
  spec->barcode = item->barcode;
  for (guint k = 0; k < 3; k++)
    spec->options[k] = item->options[k];
  spec->price = item->price;
  spec->compare_at_price = item->compare_at;
  spec->cost = item->cost;
  spec->weight_grams = item->grams;
  spec->reorder_point = item->reorder_point;
  spec->reorder_qty = item->reorder_qty;
}

/* Creates the product of items[first] and its @n variants. */
static gboolean
create_product (OmniStore     *store,
                GArray        *items,
                guint          first,
                guint          n,
                gint64        *ids,
                GError       **error)
{
  g_autofree OmniVariantSpec *specs = g_new0 (OmniVariantSpec, n);
  OmniProductSpec product;
  DemoAxis axes[3];

  product_spec (g_array_index (items, OmniDemoItem, first).product, &product, axes);
  for (guint i = 0; i < n; i++)
    variant_spec (&g_array_index (items, OmniDemoItem, first + i), &specs[i]);

  if (omni_store_create_product (store, &product, specs, n, ids, error) == 0)
    {
      g_prefix_error (error, "%s: ", product.title);
      return FALSE;
    }
  return TRUE;
}

/**
 * omni_demo_catalog_create:
 * @items: (element-type OmniDemoItem): planned items
 * @ids: (out caller-allocates) (array): one variant id per item
 *
 * Writes every product with its variants, stored reorder points included.
 *
 * Returns: %TRUE on success; on failure the caller rolls back
 */
gboolean
omni_demo_catalog_create (OmniStore  *store,
                          GArray     *items,
                          gint64     *ids,
                          GError    **error)
{
  guint first = 0;

  g_return_val_if_fail (OMNI_IS_STORE (store), FALSE);
  g_return_val_if_fail (items != NULL && ids != NULL, FALSE);

  while (first < items->len)
    {
      guint product = g_array_index (items, OmniDemoItem, first).product;
      guint n = 1;

      while (first + n < items->len &&
             g_array_index (items, OmniDemoItem, first + n).product == product)
        n++;
      if (!create_product (store, items, first, n, ids + first, error))
        return FALSE;
      first += n;
    }
  return TRUE;
}

/* Stocking plan ------------------------------------------------------- */

#define N_OUT_OF_STOCK 3
#define N_LOW_STOCK    5
#define FATE_POOL      30     /* the fated come from this many best sellers */

static gint64
ceil_units (double units)
{
  return (gint64)ceil (units);
}

/* The stock policy that follows from how fast a variant sells: reorder
 * point, order size, shelf fill and opening stock. */
static void
plan_item (OmniDemoItem *item,
           GRand        *rand,
           double        units_per_day)
{
  gint64 cover, total;

  item->per_day = units_per_day * item->share;
  cover = MAX (MAX (item->min_reorder_point, 1), ceil_units (item->per_day * 7));
  item->reorder_point = item->min_reorder_point < 0 ? -1 : cover;
  item->order_qty = MAX (MAX (item->min_reorder_qty, 3), ceil_units (item->per_day * 30));
  item->reorder_qty = item->min_reorder_qty < 0 ? -1 : item->order_qty;
  /* Ordered ahead of the reorder point, so it is only crossed when sales
   * run faster than usual while a delivery is on its way. */
  item->trigger = cover + ceil_units (item->per_day * 10);
  item->floor_target = MAX (4, ceil_units (item->per_day * 7));

  /* Each variant starts somewhere in its own reorder cycle. */
  if (item->sellable)
    total = item->trigger + 1 + g_rand_int_range (rand, 0, (gint32)item->order_qty);
  else
    total = cover + g_rand_int_range (rand, 2, 9);
  total = MAX (total, item->floor_target + 2);

  /* A draft waits in the back room; everything else fills the shelf first. */
  item->opening[OMNI_DEMO_FLOOR] = g_strcmp0 (catalog[item->product].status, "draft") == 0
                                   ? 0 : item->floor_target;
  item->opening[OMNI_DEMO_BACK] = total - item->opening[OMNI_DEMO_FLOOR];
}

static gint
compare_by_demand (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  GArray *items = user_data;
  guint ia = *(const guint *)a, ib = *(const guint *)b;
  double da = g_array_index (items, OmniDemoItem, ia).per_day;
  double db = g_array_index (items, OmniDemoItem, ib).per_day;

  if (da != db)
    return da > db ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* Picks among the best sellers the few that end up low or sold out. */
static void
assign_fates (GArray *items,
              GRand  *rand)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  guint assigned = 0;

  for (guint i = 0; i < items->len; i++)
    if (g_array_index (items, OmniDemoItem, i).sellable)
      g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_by_demand, items);

  for (guint attempt = 0; assigned < N_OUT_OF_STOCK + N_LOW_STOCK && attempt < 1000; attempt++)
    {
      guint pick = (guint)g_rand_int_range (rand, 0, (gint32)MIN (FATE_POOL, order->len));
      OmniDemoItem *item = &g_array_index (items, OmniDemoItem, g_array_index (order, guint, pick));
      gboolean low = assigned >= N_OUT_OF_STOCK;

      if (item->fate != OMNI_DEMO_FATE_NONE || (low && item->reorder_point < 2))
        continue;
      item->fate = low ? OMNI_DEMO_FATE_LOW : OMNI_DEMO_FATE_OUT;
      item->fate_level = low ? MAX (1, item->reorder_point / 2) : 0;
      assigned++;
    }
}

/**
 * omni_demo_catalog_plan:
 * @items: (element-type OmniDemoItem): from omni_demo_catalog_expand()
 * @rand: the seeded generator
 * @units_per_day: how many units the whole shop sells on an average day
 *
 * Varies each variant's demand a little, derives its stock policy and
 * opening stock, and picks the few best sellers that end the history low
 * or sold out.
 */
void
omni_demo_catalog_plan (GArray *items,
                        GRand  *rand,
                        double  units_per_day)
{
  double total = 0, running = 0;

  g_return_if_fail (items != NULL && rand != NULL);

  for (guint i = 0; i < items->len; i++)
    {
      OmniDemoItem *item = &g_array_index (items, OmniDemoItem, i);

      /* Some colours just do better than the buyer expected. */
      if (item->sellable)
        item->share = item->demand * g_rand_double_range (rand, 0.6, 1.4);
      total += item->share;
    }

  for (guint i = 0; i < items->len; i++)
    {
      OmniDemoItem *item = &g_array_index (items, OmniDemoItem, i);

      item->share = total > 0 ? item->share / total : 0;
      running += item->share;
      item->running_share = running;
      if (item->stocked)
        plan_item (item, rand, units_per_day);
    }
  assign_fates (items, rand);
}

/**
 * omni_demo_catalog_pick:
 * @items: (element-type OmniDemoItem): planned items
 *
 * Picks what the next customer reaches for: each variant as often as its
 * share of sales says. What never sells is never picked.
 *
 * Returns: the index of the item
 */
guint
omni_demo_catalog_pick (GArray *items,
                        GRand  *rand)
{
  guint lo = 0, hi = items->len - 1;
  double x = g_rand_double_range (rand, 0, g_array_index (items, OmniDemoItem, hi).running_share);

  /* The first item whose running share passes x; an item that never sells
   * adds nothing to the running share, so it can never be that one. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (items, OmniDemoItem, mid).running_share > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/**
 * omni_demo_list_variants:
 *
 * The variants omni_store_load_demo() creates, in catalog order, so tests
 * and documentation can name real SKUs and barcodes.
 *
 * Returns: (transfer full) (element-type OmniDemoVariant): the variants
 */
GPtrArray *
omni_demo_list_variants (void)
{
  g_autoptr(GArray) items = omni_demo_catalog_expand ();
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)omni_demo_variant_free);

  for (guint i = 0; i < items->len; i++)
    {
      const OmniDemoItem *item = &g_array_index (items, OmniDemoItem, i);
      const char *status = catalog[item->product].status;
      OmniDemoVariant *variant = g_new0 (OmniDemoVariant, 1);

      variant->sku = g_strdup (item->sku);
      variant->barcode = g_strdup (item->barcode);
      variant->title = g_strdup (item->title);
      variant->status = g_strdup (status ? status : "active");
      g_ptr_array_add (list, variant);
    }
  return list;
}

void
omni_demo_variant_free (OmniDemoVariant *variant)
{
  if (variant == NULL)
    return;
  g_free (variant->sku);
  g_free (variant->barcode);
  g_free (variant->title);
  g_free (variant->status);
  g_free (variant);
}
