/** Shared by the page view models (the `*-view.ts` files): a link and the messages shown after a form. */

export interface Link {
  href: string;
  label: string;
}

export interface Flash {
  ok?: string;
  errors?: string[];
}
