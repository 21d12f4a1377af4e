/**
 * 页面视图模型 — what each page shows and what the viewer may do, decided in the `*-view.ts` files (from
 * `can(user, action)`, the relational functions in `auth/relations.ts` and the record's state) so the templates in
 * `*-pages.ts` only render. A form is offered only when the service would accept it from this viewer in this state;
 * the service still decides. This file re-exports them for older imports; new code imports the area's file.
 */
export * from './view-common';
export * from './home-view';
export * from './hazard-view';
export * from './notice-view';
export * from './inspection-view';
export * from './institution-view';
