import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini ships without messages ("Invalid input" for every issue); our config and credential
// errors quote zod's English ones, so the schemas import this module for its effect.
z.config(en());
