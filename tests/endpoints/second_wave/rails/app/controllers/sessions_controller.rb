class SessionsController < ApplicationController
  def create
    user = User.authenticate(params[:email], params[:password])
    session[:user_id] = user&.id
    redirect_to root_path
  end

  def destroy
    reset_session
    redirect_to root_path
  end
end
