/* SPDX-License-Identifier: GPL-3.0-or-later */
typedef int omni_placeholder_omni_store_ledger;
