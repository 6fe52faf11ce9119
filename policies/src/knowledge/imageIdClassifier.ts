import { ImageCatalog } from "./imageCatalog";

/** What an image ID says about itself before any kernel is looked up. */
export type ImageIdClass =
  /** A public Alibaba Cloud Linux 2.1903 image ID that follows a known naming scheme. */
  | { readonly kind: "alinux2-public"; readonly scheme: string; readonly variant: string; readonly idDate: string }
  /** Looks like Alibaba Cloud Linux 2.1903 but follows no known scheme: its kernel cannot be derived. */
  | { readonly kind: "alinux2-unrecognised" }
  /** A custom, shared or marketplace image (`m-…`): the ID says nothing about the OS. */
  | { readonly kind: "custom-or-marketplace" }
  /** Anything else: public images of other operating systems (Alinux 3, Ubuntu, CentOS, Windows…). */
  | { readonly kind: "other-os" };

/** Spellings that name Alibaba Cloud Linux 2.1903 outside the public ID schemes (typos, image family names). */
const ALINUX2_LOOKALIKE =
  /aliyun[-_.\s]?2[-_.\s]?1903|alibaba[-_\s]?cloud[-_\s]?linux[-_\s]?2(?:[-_.\s]?1903|[-_\s]lts|$|[^0-9])/i;

/**
 * Classifies an image ID. Public image IDs name their OS; Alibaba Cloud Linux 2.1903 IDs all start with
 * `aliyun[-_]2[-_.]1903` (alinux2-facts.md §1), so any other public ID is another operating system.
 */
export function classifyImageId(imageId: string, catalog: ImageCatalog): ImageIdClass {
  const id = imageId.trim();
  if (/^m-[0-9a-z]+$/i.test(id)) return { kind: "custom-or-marketplace" };
  for (const scheme of catalog.schemes) {
    const match = scheme.pattern.exec(id);
    if (match?.groups?.date && isCalendarIdDate(match.groups.date)) {
      return {
        kind: "alinux2-public",
        scheme: scheme.id,
        variant: match.groups.variant ?? "base",
        idDate: match.groups.date,
      };
    }
  }
  if (catalog.alinux2Family.test(id) || ALINUX2_LOOKALIKE.test(id)) return { kind: "alinux2-unrecognised" };
  return { kind: "other-os" };
}

function isCalendarIdDate(idDate: string): boolean {
  const iso = isoDateFromIdDate(idDate);
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** `20210120` → `2021-01-20`. */
export function isoDateFromIdDate(idDate: string): string {
  return `${idDate.slice(0, 4)}-${idDate.slice(4, 6)}-${idDate.slice(6, 8)}`;
}
