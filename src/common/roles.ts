/** The account roles (账号角色). Beneath every module: scopes, permissions and entities all speak of roles. */
export const ROLES = ['bureau_admin', 'bureau_officer', 'inspector', 'institution'] as const;
export type Role = (typeof ROLES)[number];
export const BUREAU_ROLES: Role[] = ['bureau_admin', 'bureau_officer'];
