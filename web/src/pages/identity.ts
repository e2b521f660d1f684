// The pages of the identity feature (sign-in, registration, account, administration), in their own chunk: the
// citizen pages never load them.
export { SignIn } from './SignIn';
export { Register } from './Register';
export { AccountPage } from './Account';
export { ForcedPasswordChange } from './ForcedPasswordChange';
export { AdminAccounts } from './AdminAccounts';
