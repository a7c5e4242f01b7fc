/** /api/users and /api/groups: accounts, their roles and candidate groups (admins manage; anyone signed in reads groups). */
import { ROLES, type UserService } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { pagingProperties, type RoutePlugin, strictObject } from '../schemas.js';

const USERNAME = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$',
  description: 'letters, digits, . _ @ -; at most 64',
} as const;
const GROUP_ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
const PASSWORD = { type: 'string', minLength: 8, maxLength: 200 } as const;
const roles = {
  type: 'array',
  items: { type: 'string', enum: [...ROLES] },
  uniqueItems: true,
  maxItems: ROLES.length,
} as const;
const groupIds = { type: 'array', items: GROUP_ID, uniqueItems: true, maxItems: 200 } as const;
const usernames = { type: 'array', items: USERNAME, uniqueItems: true, maxItems: 5000 } as const;
const displayName = { type: 'string', minLength: 1, maxLength: 200 } as const;

const userSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['username', 'displayName', 'roles', 'groups', 'disabled', 'createdAt', 'updatedAt'],
} as const;

const groupSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    members: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'members', 'createdAt'],
} as const;

const usernameParams = strictObject({ username: USERNAME }, ['username']);
const groupParams = strictObject({ id: GROUP_ID }, ['id']);
const newUserBody = strictObject(
  { username: USERNAME, password: PASSWORD, displayName, roles, groups: groupIds, disabled: { type: 'boolean' } },
  ['username', 'roles'],
);
const changeBody = {
  ...strictObject({ password: PASSWORD, displayName, roles, groups: groupIds, disabled: { type: 'boolean' } }),
  minProperties: 1,
};
const newGroupBody = strictObject({ id: GROUP_ID, name: displayName, members: usernames }, ['id']);
const membersBody = strictObject({ members: usernames }, ['members']);
const admin = { auth: { roles: ['admin' as const] } };

/** User and group routes. */
export const userRoutes: RoutePlugin<{ users: UserService }> = async (app, { users }) => {
  const tags = ['users'];
  app.get(
    '/users',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List users by username',
        querystring: strictObject({ ...pagingProperties }),
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: userSchema }, total: { type: 'integer' } },
            required: ['items', 'total'],
          },
        }),
      },
    },
    async (request) => users.list(request.query),
  );

  app.post(
    '/users',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a user with roles and groups',
        body: newUserBody,
        response: withProblems({ 201: userSchema }),
      },
    },
    async (request, reply) => reply.code(201).send(await users.create(request.body)),
  );

  app.get(
    '/users/:username',
    {
      config: admin,
      schema: { tags, summary: 'Read a user', params: usernameParams, response: withProblems({ 200: userSchema }) },
    },
    async (request) => users.get(request.params.username),
  );

  app.patch(
    '/users/:username',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a user: name, password, roles, groups, disabled',
        params: usernameParams,
        body: changeBody,
        response: withProblems({ 200: userSchema }),
      },
    },
    async (request) => users.update(request.params.username, request.body),
  );

  app.delete(
    '/users/:username',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete a user (their history entries keep the name)',
        params: usernameParams,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      await users.delete(request.params.username);
      return reply.code(204).send();
    },
  );

  app.get(
    '/groups',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags,
        summary: 'List candidate groups with their members (for user pickers)',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: groupSchema } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await users.listGroups() }),
  );

  app.post(
    '/groups',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a candidate group',
        body: newGroupBody,
        response: withProblems({ 201: groupSchema }),
      },
    },
    async (request, reply) => reply.code(201).send(await users.createGroup(request.body)),
  );

  app.put(
    '/groups/:id/members',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Replace the members of a group',
        params: groupParams,
        body: membersBody,
        response: withProblems({ 200: groupSchema }),
      },
    },
    async (request) => users.setMembers(request.params.id, request.body.members),
  );
};
